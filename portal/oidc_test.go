package portal

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/eidbridge/eidbridge/portal/idp"
)

// A service that speaks only standard OpenID Connect logs the citizen in
// with the federal token, then with the eID: same pairwise subject both
// times, the method and its level in acr and amr, the name, and no
// national register number.
func TestServiceLoginWithTokenAndEID(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	c := loadCard(t, "citizen-1.8")
	codes := e.citizenWithToken(c)
	svc := newRP(t, e, "pensions")

	a := svc.start()
	byToken := svc.mustFinish(a, e.serviceBrowser().loginWithToken(a, codes))
	a = svc.start()
	byEID := svc.mustFinish(a, e.serviceBrowser().loginWithEID(a, c))

	if byToken.idToken.Subject != byEID.idToken.Subject || byToken.idToken.Subject == "" {
		t.Errorf("subjects differ: token %q, eID %q", byToken.idToken.Subject, byEID.idToken.Subject)
	}
	for _, tc := range []struct {
		res      *result
		acr      string
		amrFirst string
	}{{byToken, idp.ACRToken, "pwd"}, {byEID, idp.ACREID, "sc"}} {
		if got := tc.res.claims["acr"]; got != tc.acr {
			t.Errorf("acr %v, want %s", got, tc.acr)
		}
		if amr, _ := tc.res.claims["amr"].([]any); len(amr) == 0 || amr[0] != tc.amrFirst {
			t.Errorf("amr %v, want %s first", tc.res.claims["amr"], tc.amrFirst)
		}
		if _, ok := tc.res.claims["auth_time"]; !ok {
			t.Error("no auth_time")
		}
		name := tc.res.info["name"]
		if name != c.holder(t) || tc.res.claims["name"] != name {
			t.Errorf("name %v (ID token %v), want %q", name, tc.res.claims["name"], c.holder(t))
		}
		if strings.Contains(tc.res.raw+tc.res.idToken.Subject, c.nationalNumber(t)) {
			t.Error("the national register number reached a service not registered for it")
		}
		if _, ok := tc.res.info[idp.ClaimNationalNumber]; ok {
			t.Error("userinfo has the national register number")
		}
	}
}

func (r *rp) mustFinish(a attempt, last resp) *result {
	r.t.Helper()
	q := back(r.t, last)
	if q.Get("state") != a.state || q.Get("code") == "" {
		r.t.Fatalf("back at the service with %v", q)
	}
	res, err := r.finish(a, q.Get("code"))
	if err != nil {
		r.t.Fatalf("exchange: %v", err)
	}
	return res
}

// Two services see two unrelated subjects for one citizen.
func TestServiceSubjectsArePairwise(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	c := loadCard(t, "citizen-1.8")
	one, two := newRP(t, e, "one"), newRP(t, e, "two")
	a := one.start()
	s1 := one.mustFinish(a, e.serviceBrowser().loginWithEID(a, c)).idToken.Subject
	a = two.start()
	s2 := two.mustFinish(a, e.serviceBrowser().loginWithEID(a, c)).idToken.Subject
	if s1 == s2 {
		t.Fatalf("both services got subject %q", s1)
	}
}

// The national register number: only to a service registered for it,
// and only when the citizen agrees on the consent page.
func TestServiceNationalNumberNeedsConsent(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	c := loadCard(t, "citizen-1.8")
	nn := c.nationalNumber(t)
	svc := newRP(t, e, "taxes", idp.ScopeNationalNumber)
	for _, share := range []string{"yes", "no"} {
		a := svc.start()
		b := e.serviceBrowser()
		r := b.loginWithEID(a, c)
		if r.path != "/connect/consent" || !b.shows(r, "connect.consent.text") || !strings.Contains(r.body, svc.spec.Name) {
			t.Fatalf("no consent page naming the service: %d %s", r.status, r.path)
		}
		res := svc.mustFinish(a, b.onward(b.post("/connect/consent", url.Values{"csrf": {b.csrf()}, "share": {share}})))
		got, _ := res.info[idp.ClaimNationalNumber].(string)
		if (share == "yes") != (got == nn) || (share == "no" && strings.Contains(res.raw, nn)) {
			t.Errorf("share=%s: userinfo number %q", share, got)
		}
	}
	// A service not registered for it asks in vain: no consent page, no number.
	other := newRP(t, e, "other")
	other.conf.Scopes = append(other.conf.Scopes, idp.ScopeNationalNumber)
	a := other.start()
	res := other.mustFinish(a, e.serviceBrowser().loginWithEID(a, c))
	if _, ok := res.info[idp.ClaimNationalNumber]; ok || strings.Contains(res.raw, nn) {
		t.Error("an unregistered service got the national register number")
	}
}

// A service asking for the eID's level gets no token login.
func TestServiceAskingForEIDOnly(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	svc := newRP(t, e, "health")
	b := e.serviceBrowser()
	a := svc.start(oauth2.SetAuthURLParam("acr_values", idp.ACREID))
	r := b.getURL(a.authURL)
	if !b.shows(r, "connect.eidonly") || strings.Contains(r.body, `href="/connect/token"`) {
		t.Fatalf("the choice still offers the token:\n%s", r.body)
	}
	if r := b.get("/connect/token"); r.status != http.StatusForbidden {
		t.Errorf("token login for an eID-only service: %d %s", r.status, r.path)
	}
	res := svc.mustFinish(a, b.loginWithEIDAfterChoice(loadCard(t, "citizen-1.8")))
	if res.claims["acr"] != idp.ACREID {
		t.Errorf("acr %v", res.claims["acr"])
	}
}

// loginWithEIDAfterChoice is loginWithEID from the choice page on.
func (b *browser) loginWithEIDAfterChoice(c *card) resp {
	b.t.Helper()
	b.get("/connect/eid")
	csrf := b.csrf()
	_, m := b.postJSON("/request/challenge", csrf, nil)
	r, m := b.postJSON("/connect/verify", csrf, map[string]any{"nonce": m["nonce"], "token": rawJSON(c.token(b.t, b.e.srv.URL, m["nonce"]))})
	if r.status != 200 {
		b.t.Fatalf("eID proof: %d %s", r.status, r.body)
	}
	return b.getURL(b.e.srv.URL + m["next"])
}

// Cancel sends the citizen back with access_denied and the service's state.
func TestServiceLoginCancelled(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	svc := newRP(t, e, "pensions")
	b := e.serviceBrowser()
	a := svc.start()
	b.getURL(a.authURL)
	q := back(t, (b.post("/connect/cancel", url.Values{"csrf": {b.csrf()}})))
	if q.Get("error") != "access_denied" || q.Get("state") != a.state || q.Get("code") != "" {
		t.Fatalf("cancel: %v", q)
	}
	if r := b.getURL(a.authURL); r.path != "/connect" {
		t.Fatalf("a new login after a cancel: %d %s", r.status, r.path)
	}
}

// prompt=none cannot be honoured (no single sign-on): login_required.
func TestServicePromptNone(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	svc := newRP(t, e, "pensions")
	a := svc.start(oauth2.SetAuthURLParam("prompt", "none"))
	q := back(t, e.serviceBrowser().getURL(a.authURL))
	if q.Get("error") != "login_required" || q.Get("state") != a.state {
		t.Fatalf("prompt=none: %v", q)
	}
}

// Another browser that learnt the request id (a log, a Referer) cannot
// collect the code of a login the citizen completed.
func TestServiceCallbackBoundToSession(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	c := loadCard(t, "citizen-1.8")
	svc := newRP(t, e, "pensions")
	a := svc.start()
	victim := e.serviceBrowser()
	r := victim.getURL(a.authURL)
	id := requestID(t, victim)
	victim.get("/connect/eid")
	csrf := victim.csrf()
	_, m := victim.postJSON("/request/challenge", csrf, nil)
	_, m = victim.postJSON("/connect/verify", csrf, map[string]any{"nonce": m["nonce"], "token": rawJSON(c.token(t, e.srv.URL, m["nonce"]))})
	thief := e.serviceBrowser()
	if r = thief.get(idp.CallbackPath + "?id=" + url.QueryEscape(id)); r.status != http.StatusForbidden || !thief.shows(r, "err.connect.session") {
		t.Fatalf("the callback served another session: %d %s %q", r.status, r.path, r.header.Get("Location"))
	}
	svc.mustFinish(a, victim.getURL(e.srv.URL+m["next"]))
}

// requestID is the id in the connect page the browser was sent to.
func requestID(t testing.TB, b *browser) string {
	t.Helper()
	ss := b.session()
	if ss.connect == nil {
		t.Fatal("the session holds no service login")
	}
	return ss.connect.ID
}

// Codes: once, with the right verifier, by the service they were given
// to, within their minute; every refusal is the standard invalid_grant.
func TestServiceCodeRefusals(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	c := loadCard(t, "citizen-1.8")
	svc, other := newRP(t, e, "pensions"), newRP(t, e, "other")
	code := func() (attempt, string) {
		a := svc.start()
		q := back(t, e.serviceBrowser().loginWithEID(a, c))
		return a, q.Get("code")
	}
	a, cd := code()
	first, err := svc.finish(a, cd)
	if err != nil {
		t.Fatalf("first exchange: %v", err)
	}
	_, err = svc.finish(a, cd)
	wantOAuthError(t, "replayed code", err, "invalid_grant")
	if _, err := svc.provider.UserInfo(svc.ctx, oauth2.StaticTokenSource(first.token)); err == nil {
		t.Error("the access token of a replayed code still works")
	}

	a, cd = code()
	bad := a
	bad.verifier = oauth2.GenerateVerifier()
	_, err = svc.finish(bad, cd)
	wantOAuthError(t, "wrong PKCE verifier", err, "invalid_grant")
	if _, err := svc.finish(a, cd); err != nil { // the service itself still can
		t.Errorf("the right verifier after a wrong one: %v", err)
	}

	a, cd = code()
	_, err = other.finish(a, cd)
	wantOAuthError(t, "another service's code", err, "invalid_grant")

	a, cd = code()
	e.clock.add(61 * time.Second)
	_, err = svc.finish(a, cd)
	wantOAuthError(t, "expired code", err, "invalid_grant")

	a, cd = code()
	wrong := *svc
	wrong.conf.ClientSecret = randomText()
	_, err = wrong.finish(a, cd)
	wantOAuthError(t, "wrong client secret", err, "invalid_client")
}

func wantOAuthError(t testing.TB, what string, err error, code string) {
	t.Helper()
	re, ok := err.(*oauth2.RetrieveError)
	if !ok || re.ErrorCode != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

// Requests the provider must refuse before any login page: an
// unregistered redirect URI is never redirected to; a request without
// PKCE goes back with invalid_request.
func TestServiceAuthorizeRefusals(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	svc := newRP(t, e, "pensions")
	b := e.serviceBrowser()

	evil := *svc
	evil.conf.RedirectURL = "https://evil.example/callback"
	r := b.getURL(evil.start().authURL)
	if loc := r.header.Get("Location"); strings.Contains(loc, "evil.example") || r.status != http.StatusBadRequest {
		t.Errorf("unregistered redirect URI: %d %q", r.status, loc)
	}

	noPKCE := svc.conf.AuthCodeURL("s1", oauth2.SetAuthURLParam("nonce", "n1"))
	q := back(t, b.getURL(noPKCE))
	if q.Get("error") != "invalid_request" || q.Get("state") != "s1" {
		t.Errorf("without PKCE: %v", q)
	}
	plain := svc.conf.AuthCodeURL("s2", oauth2.SetAuthURLParam("code_challenge", "abc"),
		oauth2.SetAuthURLParam("code_challenge_method", "plain"))
	if q := back(t, b.getURL(plain)); q.Get("error") != "invalid_request" {
		t.Errorf("plain PKCE: %v", q)
	}
	unknown := *svc
	unknown.conf.ClientID = "nobody"
	if r := b.getURL(unknown.start().authURL); r.status/100 == 3 {
		t.Errorf("unknown client redirected: %q", r.header.Get("Location"))
	}
	if r := b.get("/connect?id=made-up"); r.status != http.StatusGone || !b.shows(r, "err.connect.gone") {
		t.Errorf("unknown request id: %d", r.status)
	}
}

// The discovery document says what a conformant client relies on.
func TestServiceDiscovery(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	svc := newRP(t, e, "pensions")
	var d struct {
		Issuer        string   `json:"issuer"`
		Authorization string   `json:"authorization_endpoint"`
		Token         string   `json:"token_endpoint"`
		Userinfo      string   `json:"userinfo_endpoint"`
		JWKS          string   `json:"jwks_uri"`
		ResponseTypes []string `json:"response_types_supported"`
		Subjects      []string `json:"subject_types_supported"`
		Algs          []string `json:"id_token_signing_alg_values_supported"`
		PKCE          []string `json:"code_challenge_methods_supported"`
		Scopes        []string `json:"scopes_supported"`
	}
	if err := svc.provider.Claims(&d); err != nil {
		t.Fatal(err)
	}
	if d.Issuer != e.srv.URL {
		t.Errorf("issuer %q, want %q", d.Issuer, e.srv.URL)
	}
	for _, u := range []string{d.Authorization, d.Token, d.Userinfo, d.JWKS} {
		if !strings.HasPrefix(u, e.srv.URL+"/") {
			t.Errorf("endpoint %q is not under the issuer", u)
		}
	}
	checks := map[string][]string{"response_types": d.ResponseTypes, "algs": d.Algs, "pkce": d.PKCE, "scopes": d.Scopes}
	wants := map[string]string{"response_types": "code", "algs": "ES256", "pkce": "S256", "scopes": idp.ScopeNationalNumber}
	for k, list := range checks {
		if !slices.Contains(list, wants[k]) {
			t.Errorf("%s %v lacks %s", k, list, wants[k])
		}
	}
}

// The service's ui_locales choose the language of the portal's pages,
// unless the citizen chose one there.
func TestServiceUILocales(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	svc := newRP(t, e, "pensions")
	b := e.serviceBrowser()
	r := b.getURL(svc.start(oauth2.SetAuthURLParam("ui_locales", "fr-BE en")).authURL)
	if !b.showsIn(r, "fr", "connect.choose") {
		t.Fatalf("ui_locales=fr-BE: page not in French:\n%s", r.body)
	}
	b.get("/?lang=de")
	if r := b.getURL(svc.start(oauth2.SetAuthURLParam("ui_locales", "fr")).authURL); !b.showsIn(r, "de", "connect.choose") {
		t.Error("ui_locales overrode the citizen's own choice")
	}
}

// Logout at the provider sends the citizen back to a registered address
// only.
func TestServiceEndSession(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	svc := newRP(t, e, "pensions")
	a := svc.start()
	res := svc.mustFinish(a, e.serviceBrowser().loginWithEID(a, loadCard(t, "citizen-1.8")))
	var d struct {
		EndSession string `json:"end_session_endpoint"`
	}
	svc.provider.Claims(&d)
	for _, tc := range []struct {
		to   string
		back bool
	}{{"https://service.example/", true}, {"https://evil.example/", false}} {
		u := d.EndSession + "?" + url.Values{"id_token_hint": {res.raw}, "post_logout_redirect_uri": {tc.to}, "state": {"s"}}.Encode()
		r := e.serviceBrowser().getURL(u)
		loc := r.header.Get("Location")
		if tc.back != strings.HasPrefix(loc, tc.to) {
			t.Errorf("logout to %s: %d, Location %q", tc.to, r.status, loc)
		}
	}
}
