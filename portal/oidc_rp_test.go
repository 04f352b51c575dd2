package portal

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/portal/idp"
)

// rp is a government service as a test plays it: a standard OpenID
// Connect client (go-oidc and x/oauth2), registered with the portal.
type rp struct {
	t        testing.TB
	e        *env
	spec     idp.ClientSpec
	ctx      context.Context // carries the client that trusts the test TLS server
	provider *oidc.Provider
	conf     oauth2.Config
	verifier *oidc.IDTokenVerifier
}

const rpRedirect = "https://service.example/callback"

func newRP(t testing.TB, e *env, id string, scopes ...string) *rp {
	t.Helper()
	spec := idp.ClientSpec{ID: id, Name: "Service " + id, Secret: randomText(), RedirectURIs: []string{rpRedirect},
		PostLogoutURIs: []string{"https://service.example/"}, Scopes: append([]string{idp.ScopeProfile}, scopes...)}
	if err := e.p.RegisterService(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	ctx := oidc.ClientContext(context.Background(), e.srv.Client())
	provider, err := oidc.NewProvider(ctx, e.srv.URL)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	r := &rp{t: t, e: e, spec: spec, ctx: ctx, provider: provider}
	r.conf = oauth2.Config{ClientID: id, ClientSecret: spec.Secret, Endpoint: provider.Endpoint(),
		RedirectURL: rpRedirect, Scopes: append([]string{oidc.ScopeOpenID, idp.ScopeProfile}, scopes...)}
	r.verifier = provider.Verifier(&oidc.Config{ClientID: id})
	return r
}

func randomText() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// attempt is one login the service started: its state, nonce and PKCE
// verifier, as the service keeps them.
type attempt struct {
	state, nonce, verifier string
	authURL                string
}

func (r *rp) start(opts ...oauth2.AuthCodeOption) attempt {
	a := attempt{state: randomText(), nonce: randomText(), verifier: oauth2.GenerateVerifier()}
	opts = append(opts, oidc.Nonce(a.nonce), oauth2.S256ChallengeOption(a.verifier))
	a.authURL = r.conf.AuthCodeURL(a.state, opts...)
	return a
}

// result is what the service learnt.
type result struct {
	idToken *oidc.IDToken
	claims  map[string]any
	info    map[string]any
	raw     string
	token   *oauth2.Token
}

// finish exchanges the code and checks what a careful service checks:
// the ID token's signature, issuer, audience, expiry and nonce, and that
// userinfo speaks of the same subject.
func (r *rp) finish(a attempt, code string) (*result, error) {
	tok, err := r.conf.Exchange(r.ctx, code, oauth2.VerifierOption(a.verifier))
	if err != nil {
		return nil, err
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := r.verifier.Verify(r.ctx, raw)
	if err != nil {
		r.t.Fatalf("ID token: %v", err)
	}
	if idt.Nonce != a.nonce {
		r.t.Fatalf("nonce %q, want %q", idt.Nonce, a.nonce)
	}
	res := &result{idToken: idt, raw: raw, token: tok}
	idt.Claims(&res.claims)
	ui, err := r.provider.UserInfo(r.ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		r.t.Fatalf("userinfo: %v", err)
	}
	if ui.Subject != idt.Subject {
		r.t.Fatalf("userinfo subject %q, ID token %q", ui.Subject, idt.Subject)
	}
	ui.Claims(&res.info)
	return res, nil
}

// serviceBrowser is a browser that stops at the service: it follows
// redirects on the portal only, so the code can be read off the last one.
func (e *env) serviceBrowser() *browser {
	b := e.browser()
	host := strings.TrimPrefix(e.srv.URL, "https://")
	b.c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host != host {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return b
}

func (b *browser) getURL(raw string) resp {
	req, _ := http.NewRequest(http.MethodGet, raw, nil)
	return b.do(req)
}

// back is where the portal sent the browser back to the service: by a
// redirect, or through the page after a form post.
func back(t testing.TB, r resp) url.Values {
	t.Helper()
	loc := r.header.Get("Location")
	if m := continueRE.FindStringSubmatch(r.body); r.status == http.StatusOK && m != nil {
		r.status, loc = http.StatusSeeOther, html.UnescapeString(m[1])
	}
	if r.status/100 != 3 || !strings.HasPrefix(loc, rpRedirect) {
		t.Fatalf("not sent back to the service: %d %s %q\n%s", r.status, r.path, loc, r.body)
	}
	u, _ := url.Parse(loc)
	return u.Query()
}

// loginWithToken goes from the service's redirect to the code: the
// token method, username, password and one code.
func (b *browser) loginWithToken(a attempt, codes map[int]string) resp {
	b.t.Helper()
	if r := b.getURL(a.authURL); r.path != "/connect" || r.status != http.StatusOK {
		b.t.Fatalf("authorize: %d %s\n%s", r.status, r.path, r.body)
	}
	r := b.submit("/connect/token", "/login", url.Values{"username": {user1}, "password": {pass1}})
	if r.path != "/login/code" {
		b.t.Fatalf("password step: %d %s", r.status, r.path)
	}
	pos := position(b.t, r.body)
	return b.onward(b.post("/login/code", url.Values{"csrf": {b.csrf()}, "code": {codes[pos]}}))
}

var continueRE = regexp.MustCompile(`<a id="continue" class="button" href="([^"]+)"`)

// onward follows the page that takes the browser on after a form post
// (h_connect_leave.go), as its meta refresh would; it checks the refresh
// and the link agree.
func (b *browser) onward(r resp) resp {
	b.t.Helper()
	m := continueRE.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		b.t.Fatalf("no page to go on from: %d %s\n%s", r.status, r.path, r.body)
	}
	next := html.UnescapeString(m[1])
	if !strings.Contains(html.UnescapeString(r.body), `content="0; url=`+next+`"`) {
		b.t.Fatalf("the meta refresh does not go to %q:\n%s", next, r.body)
	}
	if strings.HasPrefix(next, "/") {
		next = b.e.srv.URL + next
	}
	return b.getURL(next)
}

// loginWithEID goes from the service's redirect to the code with card c.
func (b *browser) loginWithEID(a attempt, c *card) resp {
	b.t.Helper()
	if r := b.getURL(a.authURL); r.path != "/connect" {
		b.t.Fatalf("authorize: %d %s\n%s", r.status, r.path, r.body)
	}
	b.get("/connect/eid")
	csrf := b.csrf()
	r, m := b.postJSON("/request/challenge", csrf, nil)
	if r.status != 200 {
		b.t.Fatalf("challenge: %d %s", r.status, r.body)
	}
	r, m = b.postJSON("/connect/verify", csrf, map[string]any{"nonce": m["nonce"], "token": rawJSON(c.token(b.t, b.e.srv.URL, m["nonce"]))})
	if r.status != 200 || m["next"] == "" {
		b.t.Fatalf("eID proof: %d %s", r.status, r.body)
	}
	if strings.HasPrefix(m["next"], "/connect/consent") {
		return b.get(m["next"])
	}
	return b.getURL(b.e.srv.URL + m["next"])
}

// citizenWithToken makes the fixture's holder a citizen with a token and
// returns its codes.
func (e *env) citizenWithToken(c *card) map[int]string {
	e.t.Helper()
	if r := e.browser().requestOnline(c, user1, pass1, mail1); r.path != "/request/sent" {
		e.t.Fatalf("request: %d %s", r.status, r.path)
	}
	return e.last().codes(e.t)
}

// nationalNumber is the card holder's, as the identity file has it.
func (c *card) nationalNumber(t testing.TB) string {
	id, err := eid.ParseIdentity(c.files.Identity)
	if err != nil {
		t.Fatal(err)
	}
	return id.NationalNumber
}

// session is the browser's stored session.
func (b *browser) session() *session {
	b.t.Helper()
	u, _ := url.Parse(b.e.srv.URL)
	for _, ck := range b.c.Jar.Cookies(u) {
		if ck.Name == b.e.p.sess.cookie {
			ss, err := loadSession(context.Background(), b.e.p.db, ck.Value)
			if err != nil || ss == nil {
				b.t.Fatalf("session: %v", err)
			}
			return ss
		}
	}
	b.t.Fatal("the browser has no session cookie")
	return nil
}

func cutDot(s string) (string, string, bool) { return strings.Cut(s, ".") }

func decodeSegment(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("JWT segment: %v", err)
	}
	return b
}
