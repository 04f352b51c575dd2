//go:build cgo

package browsertest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"

	"github.com/chromedp/chromedp"

	"github.com/eidbridge/eidbridge/portal/idp"
)

// a11yService is registered with every test portal: a service that may
// ask for the national register number, so the tour sees the consent page.
var a11yService = idp.ClientSpec{ID: "a11y", Name: "MyDemo", Secret: "a11y-service-secret-of-32-characters",
	RedirectURIs: []string{"https://service.example/callback"},
	Scopes:       []string{idp.ScopeProfile, idp.ScopeNationalNumber}}

// authorizeURL is the service's redirect to the portal, as a client
// library makes it (PKCE S256).
func authorizeURL(origin string) string {
	sum := sha256.Sum256([]byte("a11y-verifier-a11y-verifier-a11y-verifier-a11y"))
	q := url.Values{"client_id": {a11yService.ID}, "redirect_uri": {a11yService.RedirectURIs[0]},
		"response_type": {"code"}, "scope": {"openid profile national_register_number"}, "state": {"s"},
		"nonce": {"n"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"}}
	return origin + "/authorize?" + q.Encode()
}

// A service's login at the portal: the choice of method, the token's
// login form naming the service, the eID page, and the consent for the
// national register number.
func (u *tour) service() {
	u.step("arriving from a service", chromedp.Navigate(authorizeURL(u.origin)),
		chromedp.WaitVisible(chromedp.ID("with-eid")))
	u.check("connect")
	u.visit("connect-token", "/connect/token", `input[name="username"]`)
	u.visit("connect-eid", "/connect/eid", "#eid-start")
	u.step("logging in with the eID", chromedp.Click(chromedp.ID("eid-start")),
		chromedp.WaitVisible(chromedp.ID("share-no")))
	u.check("consent")
}
