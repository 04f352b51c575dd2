package portal

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEIDProofRefused(t *testing.T) {
	good := loadCard(t, "citizen-1.8")
	other := loadCard(t, "foreigner-1.8")   // same test PKI, another person
	untrusted := loadCard(t, "citizen-1.7") // RSA test PKI, not trusted here
	forged := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	cases := []struct {
		name  string
		alter func(b *browser, p *eidProof)
		key   string
	}{
		{"forged nonce", func(b *browser, p *eidProof) {
			p.nonce, p.token = forged, good.token(t, b.e.srv.URL, forged)
		}, "err.eid.nonce"},
		{"expired nonce", func(b *browser, p *eidProof) { b.e.clock.add(5*time.Minute + time.Second) }, "err.eid.nonce"},
		{"nonce of another session", func(b *browser, p *eidProof) {
			_, n := b.e.browser().challenge()
			p.nonce, p.token = n, good.token(t, b.e.srv.URL, n)
		}, "err.eid.nonce"},
		{"token for another origin", func(b *browser, p *eidProof) {
			p.token = good.token(t, "https://evil.example", p.nonce)
		}, "err.eid.token"},
		{"token signed for another nonce", func(b *browser, p *eidProof) {
			p.token = good.token(t, b.e.srv.URL, forged)
		}, "err.eid.token"},
		{"card outside the trusted CA", func(b *browser, p *eidProof) {
			p.token, p.identity = untrusted.token(t, b.e.srv.URL, p.nonce), untrusted.files
		}, "err.eid.cert"},
		{"tampered identity file", func(b *browser, p *eidProof) {
			p.identity.Identity = bytes.Replace(p.identity.Identity, []byte("Dubois"), []byte("Duboit"), 1)
		}, "err.eid.identity"},
		{"identity of someone else", func(b *browser, p *eidProof) { p.identity = other.files }, "err.eid.mismatch"},
		{"no address", func(b *browser, p *eidProof) {
			p.identity.Address, p.identity.AddressSignature = nil, nil
		}, "err.eid.noaddress"},
		{"tampered address", func(b *browser, p *eidProof) {
			p.identity.Address = bytes.Replace(p.identity.Address, []byte("Namur"), []byte("Liege"), 1)
		}, "err.eid.identity"},
	}
	e := newEnv(t, "citizen-1.8")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := e.browser()
			p := b.proof(good)
			p.identity.Identity = bytes.Clone(p.identity.Identity)
			c.alter(b, &p)
			status, m := b.send(p)
			if status != http.StatusUnprocessableEntity || m["error"] != c.key {
				t.Fatalf("got %d %v, want %s", status, m, c.key)
			}
			if m["message"] != e.p.cats["nl"].T(c.key) {
				t.Errorf("message %q", m["message"])
			}
		})
	}
	if n := len(e.outbox()); n != 0 {
		t.Errorf("%d messages sent for refused proofs", n)
	}
}

func TestNonceReplayed(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	c := loadCard(t, "citizen-1.8")
	b := e.browser()
	p := b.proof(c)
	if status, m := b.send(p); status != 200 || m["next"] != "/request/account" {
		t.Fatalf("first use: %d %v", status, m)
	}
	b.get("/request") // the session was renewed: fresh CSRF token
	p.csrf = b.csrf()
	if status, m := b.send(p); status != http.StatusUnprocessableEntity || m["error"] != "err.eid.nonce" {
		t.Fatalf("replay: %d %v", status, m)
	}
}

func TestVerifyRequestMalformed(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	csrf, _ := b.challenge()
	for _, body := range []string{"", "{", `{"nonce": 5}`, strings.Repeat("[", 300<<10)} {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/request/verify", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(csrfHeader, csrf)
		if r := b.do(req); r.status != http.StatusBadRequest {
			t.Errorf("body %.20q: %d", body, r.status)
		}
	}
	// Well-formed JSON without a token: refused by the validator.
	if r, m := b.postJSON("/request/verify", csrf, map[string]string{"nonce": "x"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("empty proof: %d %v", r.status, m)
	}
}

func TestAccountNeedsVerifiedSession(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	b.get("/login")
	r := b.post("/request/account", map[string][]string{"csrf": {b.csrf()}, "username": {"x"}})
	if r.status != http.StatusForbidden {
		t.Fatalf("account without eID: %d", r.status)
	}
	// The verified identity expires.
	status, _ := b.send(b.proof(loadCard(t, "citizen-1.8")))
	e.clock.add(verifiedTTL + time.Second)
	if r := b.get("/request/account"); status != 200 || r.status != http.StatusForbidden {
		t.Fatalf("stale verification: %d then %d", status, r.status)
	}
}
