package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/demoservice"
	"github.com/eidbridge/eidbridge/portal/idp"
)

// TestDemoServiceLogin: the demo serves MyDemo where its banner says, the
// service's login goes to the portal's authorization endpoint with PKCE
// S256 and the registered callback, the portal names the service, and a
// citizen who cancels there lands on the service's explanation.
func TestDemoServiceLogin(t *testing.T) {
	if demoservice.ACRToken != idp.ACRToken || demoservice.ACREID != idp.ACREID {
		t.Fatal("the service's acr values are not the provider's")
	}
	p := startDemo(t, "--auto-pin", "--addr", "127.0.0.1:0", "--agent-port", "0", "--service-addr", "127.0.0.1:0")
	portal, svc := p.url(t), p.field(t, `service +(http://\S+)/ \(`)
	for _, want := range []string{"Open " + svc + "/ and press \"Log in\"", "choose the eID"} {
		if !strings.Contains(p.banner, want) {
			t.Errorf("banner does not say %q:\n%s", want, p.banner)
		}
	}
	b := newDemoBrowser(t, svc)
	if _, page := b.get("/?lang=en"); !strings.Contains(page, `href="/login?eid=1"`) {
		t.Fatalf("the service's home has no eID login:\n%s", page)
	}
	auth := serviceAuthRequest(t, b, portal)
	q := auth.Query()
	for k, want := range map[string]string{"client_id": "demo-service", "response_type": "code",
		"code_challenge_method": "S256", "redirect_uri": svc + "/callback"} {
		if q.Get(k) != want {
			t.Errorf("authorization request %s=%q, want %q", k, q.Get(k), want)
		}
	}
	if len(q.Get("code_challenge")) != 43 || !strings.Contains(q.Get("scope"), "openid") {
		t.Errorf("authorization request: %v", q)
	}
	req, _ := http.NewRequest(http.MethodGet, auth.String(), nil)
	if _, page := b.do(req); !strings.Contains(page, demoservice.Name) {
		t.Fatalf("the portal's login page does not name %s:\n%s", demoservice.Name, page)
	}
	at := &demoBrowser{t: t, base: portal, c: b.c, page: b.page}
	at.post("/connect/cancel", url.Values{"csrf": {at.csrf()}})
	// A page takes the browser on after the form post (the portal's CSP
	// form-action would stop a redirect to the service): follow its link.
	next := at.attr(`<a id="continue" class="button" href="([^"]+)"`)
	req, _ = http.NewRequest(http.MethodGet, next, nil)
	resp, page := at.do(req)
	if path := resp.Request.URL.Path; path != "/callback" || !strings.Contains(page, "access_denied") || !strings.Contains(page, "cancelled the login") {
		t.Errorf("cancelling at the portal ended on %s:\n%s", path, page)
	}
}

// serviceAuthRequest is where the service's /login sends the browser,
// checked to be the portal's authorization endpoint from its discovery.
func serviceAuthRequest(t *testing.T, b *demoBrowser, portal string) *url.URL {
	t.Helper()
	r, err := http.Get(portal + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var disc struct {
		AuthorizationEndpoint string `json:"authorization_endpoint"`
	}
	if err := json.NewDecoder(r.Body).Decode(&disc); err != nil || disc.AuthorizationEndpoint == "" {
		t.Fatalf("the portal's discovery: %v", err)
	}
	c := *b.c
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r, err = c.Get(b.base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, disc.AuthorizationEndpoint+"?") {
		t.Fatalf("the service's /login: %d to %q, want the portal's %s", r.StatusCode, loc, disc.AuthorizationEndpoint)
	}
	u, _ := url.Parse(loc)
	return u
}
