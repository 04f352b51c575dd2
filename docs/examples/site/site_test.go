package main

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/verify"
)

const siteOrigin = "https://login.example.be"

var testdata = filepath.Join("..", "..", "..", "eid", "virtualcard", "testdata")

// revocation stands in for the OCSP checker, which needs the network.
type revocation struct{ revoked atomic.Bool }

func (r *revocation) CheckRevocation(chain []*x509.Certificate) error {
	if r.revoked.Load() {
		return errors.New("revoked (key compromise)")
	}
	return nil
}

// testSite is the example site trusting the virtual card fixture's test
// PKI, loaded the way main loads it.
func testSite(t *testing.T, card *virtualcard.Content, rev verify.RevocationChecker) *httptest.Server {
	t.Helper()
	cfg, err := trust(nil, []string{filepath.Join(testdata, "citizen-1.8", "root-ca.pem")},
		[]string{filepath.Join(testdata, "pki", "ec", "citizen-ca.pem")})
	if err != nil {
		t.Fatal(err)
	}
	auth, err := eid.ParseCertificateFile(card.Files["3F00DF005038"])
	if err != nil {
		t.Fatal(err)
	}
	cfg.Origin, cfg.Revocation = siteOrigin, rev
	cfg.Now = func() time.Time { return auth.NotBefore.Add(48 * time.Hour) }
	s, err := newSite(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.routes())
	t.Cleanup(srv.Close)
	return srv
}

// browser is a client with cookies, as the page's fetch calls have.
type browser struct {
	t   *testing.T
	c   *http.Client
	url string
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t, &http.Client{Jar: jar}, srv.URL}
}

func (b *browser) do(method, path string, body any) (int, string) {
	b.t.Helper()
	js, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, b.url+path, strings.NewReader(string(js)))
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// token signs a challenge as the 1.8 card does: ES384, raw r‖s.
func token(t *testing.T, card *virtualcard.Content, nonce string) json.RawMessage {
	t.Helper()
	der, err := card.AuthKey.Sign(rand.Reader, verify.SignedDigest(crypto.SHA384, siteOrigin, nonce), crypto.SHA384)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := eid.ECDSADERToRaw(der, 48)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := eid.ParseCertificateFile(card.Files["3F00DF005038"])
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := json.Marshal(verify.AuthToken{UnverifiedCertificate: base64.StdEncoding.EncodeToString(auth.Raw),
		Algorithm: "ES384", Signature: base64.StdEncoding.EncodeToString(raw), Format: verify.Format})
	return tok
}

// login runs the page's two requests and returns the login's answer.
func (b *browser) login(card *virtualcard.Content) (int, string) {
	b.t.Helper()
	code, out := b.do("POST", "/login/challenge", nil)
	var ch struct{ Nonce string }
	if code != http.StatusOK || json.Unmarshal([]byte(out), &ch) != nil {
		b.t.Fatalf("challenge: %d %s", code, out)
	}
	return b.do("POST", "/login", map[string]any{"nonce": ch.Nonce, "token": token(b.t, card, ch.Nonce)})
}

func TestSiteLogin(t *testing.T) {
	card, err := virtualcard.Load(filepath.Join(testdata, "citizen-1.8"))
	if err != nil {
		t.Fatal(err)
	}
	rev := &revocation{}
	b := newBrowser(t, testSite(t, card, rev))

	if code, out := b.do("GET", "/", nil); code != http.StatusOK || !strings.Contains(out, `from "/eidbridge/eidbridge.js"`) {
		t.Errorf("page: %d %.80s", code, out)
	}
	if code, out := b.do("GET", "/eidbridge/eidbridge.js", nil); code != http.StatusOK || !strings.Contains(out, "export async function connect") {
		t.Errorf("client: %d %.80s", code, out)
	}
	if code, _ := b.do("GET", "/me", nil); code != http.StatusUnauthorized {
		t.Errorf("me before login: %d", code)
	}
	if code, out := b.login(card); code != http.StatusOK || !strings.Contains(out, `"Marie Claire Dubois"`) {
		t.Fatalf("login: %d %s", code, out)
	}
	if code, out := b.do("GET", "/me", nil); code != http.StatusOK || !strings.Contains(out, verify.RevocationGood) {
		t.Errorf("me: %d %s", code, out)
	}
	if code, _ := b.do("POST", "/logout", nil); code != http.StatusNoContent {
		t.Errorf("logout: %d", code)
	}
	if code, _ := b.do("GET", "/me", nil); code != http.StatusUnauthorized {
		t.Errorf("me after logout: %d", code)
	}
	rev.revoked.Store(true)
	if code, _ := b.login(card); code != http.StatusForbidden {
		t.Errorf("login with a revoked certificate: %d, want 403", code)
	}
}

// TestSiteRefusals: a nonce serves once and only the browser it was
// issued to.
func TestSiteRefusals(t *testing.T) {
	card, err := virtualcard.Load(filepath.Join(testdata, "citizen-1.8"))
	if err != nil {
		t.Fatal(err)
	}
	srv := testSite(t, card, &revocation{})
	a, other := newBrowser(t, srv), newBrowser(t, srv)
	_, out := a.do("POST", "/login/challenge", nil)
	var ch struct{ Nonce string }
	if err := json.Unmarshal([]byte(out), &ch); err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"nonce": ch.Nonce, "token": token(t, card, ch.Nonce)}
	other.do("POST", "/login/challenge", nil) // a challenge cookie of its own
	if code, _ := other.do("POST", "/login", body); code != http.StatusUnauthorized {
		t.Errorf("another browser's nonce: %d, want 401", code)
	}
	if code, _ := a.do("POST", "/login", body); code != http.StatusUnauthorized {
		t.Errorf("a nonce presented by the wrong browser stays spent: %d, want 401", code)
	}
	if code, _ := newBrowser(t, srv).do("POST", "/login", body); code != http.StatusBadRequest {
		t.Errorf("no challenge cookie: %d, want 400", code)
	}
}
