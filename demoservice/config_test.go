package demoservice

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestConfigRefused: each bad setting gets an error that names it.
func TestConfigRefused(t *testing.T) {
	ok := Config{Issuer: "http://127.0.0.1:8443", ClientID: "demo-service", ClientSecret: "s",
		Origin: "http://127.0.0.1:8444"}
	for _, c := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"issuer http", func(c *Config) { c.Issuer = "http://portal.example" }, "http on loopback"},
		{"issuer relative", func(c *Config) { c.Issuer = "/portal" }, "want scheme://host"},
		{"issuer query", func(c *Config) { c.Issuer = "https://portal.example/?x=1" }, "without user, query"},
		{"origin path", func(c *Config) { c.Origin = "http://127.0.0.1:8444/app" }, "an origin has no path"},
		{"origin scheme", func(c *Config) { c.Origin = "ftp://127.0.0.1" }, "want https"},
		{"client id", func(c *Config) { c.ClientID = "" }, "ClientID is empty"},
		{"secret", func(c *Config) { c.ClientSecret = "" }, "confidential client"},
	} {
		cfg := ok
		c.edit(&cfg)
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
	if _, err := New(ok); err != nil {
		t.Errorf("a good configuration: %v", err)
	}
	ok.Issuer, ok.Origin = "https://portal.example/oidc", "https://service.example/"
	if _, err := New(ok); err != nil {
		t.Errorf("https with an issuer path: %v", err)
	}
}

// TestHeaders: no script may run, the page cannot be framed, and the
// logout form may lead on to the provider only.
func TestHeaders(t *testing.T) {
	rg := newRig(t)
	r, page := rg.b.get("/")
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "form-action 'self' " + rg.op.srv.URL + ";"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src") || strings.Contains(page, "<script") || strings.Contains(page, "style=") {
		t.Errorf("a script or an inline style: CSP %q\n%s", csp, page)
	}
	if r.Header.Get("X-Frame-Options") != "DENY" || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers: %v", r.Header)
	}
	if r, _ := rg.b.get("/static/style.css"); r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
		t.Errorf("style sheet: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if r, page := rg.b.get("/nowhere?lang=en"); r.StatusCode != http.StatusNotFound {
		t.Errorf("/nowhere: %d", r.StatusCode)
	} else {
		wantText(t, page, en(t, "err.notfound"))
	}
}

// TestSessionExpires: a session ends on the server after its time,
// whatever the browser keeps.
func TestSessionExpires(t *testing.T) {
	rg := newRig(t)
	if _, page := rg.login("/login"); !strings.Contains(page, fakeSub) {
		t.Fatal("not logged in")
	}
	now := time.Now()
	rg.svc.now = func() time.Time { return now.Add(sessionTTL) }
	if _, page := rg.b.get("/"); strings.Contains(page, fakeSub) {
		t.Error("still logged in after the session's time")
	}
}

// TestStoreBounded: the store never holds more than its maximum, drops
// the oldest first and forgets what expired.
func TestStoreBounded(t *testing.T) {
	now := time.Unix(1e9, 0)
	s := newStore[int](3, time.Minute, func() time.Time { return now })
	for i, id := range []string{"a", "b", "c", "d"} {
		s.put(id, i)
		now = now.Add(time.Second)
	}
	if _, ok := s.get("a"); ok || s.len() != 3 {
		t.Errorf("full store: a kept=%v, %d entries", ok, s.len())
	}
	if v, ok := s.get("d"); !ok || v != 3 {
		t.Errorf("d: %d %v", v, ok)
	}
	now = now.Add(time.Minute)
	if _, ok := s.get("d"); ok {
		t.Error("an expired entry is still given out")
	}
}
