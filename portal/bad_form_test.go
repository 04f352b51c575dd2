package portal

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCSRFRequired(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	b.get("/login")
	good := b.csrf()
	login := url.Values{"username": {"x"}, "password": {"y"}}
	for _, c := range []struct {
		name string
		do   func() resp
	}{
		{"form without token", func() resp { return b.post("/login", login) }},
		{"form with a wrong token", func() resp {
			return b.post("/login", url.Values{"csrf": {good + "x"}, "username": {"x"}, "password": {"y"}})
		}},
		{"token of another session", func() resp {
			o := e.browser()
			o.get("/login")
			return b.post("/login", url.Values{"csrf": {o.csrf()}, "username": {"x"}, "password": {"y"}})
		}},
		{"no session", func() resp {
			return e.browser().post("/login", url.Values{"csrf": {good}, "username": {"x"}, "password": {"y"}})
		}},
		{"JSON without header", func() resp { r, _ := b.postJSON("/request/challenge", "", nil); return r }},
		{"officer login without token", func() resp { return b.post("/officer/verify", url.Values{"nonce": {"x"}}) }},
		{"cross-site origin", func() resp {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/request/challenge", nil)
			req.Header.Set(csrfHeader, good)
			req.Header.Set("Origin", "https://evil.example")
			return b.do(req)
		}},
	} {
		if r := c.do(); r.status != http.StatusForbidden {
			t.Errorf("%s: %d", c.name, r.status)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.AgentPort = 40123 })
	r, err := e.srv.Client().Get(e.srv.URL + "/request")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "ws://127.0.0.1:40123", "ws://[::1]:40123", "ws://localhost:40123"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if r.Header.Get("X-Frame-Options") != "DENY" || r.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("headers %v", r.Header)
	}
	var ck *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == "__Host-portal" {
			ck = c
		}
	}
	if ck == nil || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
		t.Errorf("session cookie %+v", ck)
	}
}

// sqlish are values meant to break a query built by concatenation.
var sqlish = []string{`'; DROP TABLE citizens; --`, `" OR "1"="1`, `x') OR 1=1; --`, `\'; DELETE FROM tokens; /*`}

func TestSQLSignificantInput(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	c := loadCard(t, "citizen-1.8")
	b := e.browser()
	b.send(b.proof(c))
	for _, s := range sqlish { // as usernames: refused cleanly
		f := url.Values{"username": {s}, "password": {"p4ssword-" + s}, "password2": {"p4ssword-" + s}, "email": {"a@example.be"}}
		if r := b.submit("/request/account", "/request/account", f); r.status != http.StatusUnprocessableEntity || !b.shows(r, "err.username") {
			t.Errorf("username %q: %d", s, r.status)
		}
	}
	pass := sqlish[0] + sqlish[1]
	r := b.submit("/request/account", "/request/account", url.Values{"username": {"o.brien"}, "password": {pass},
		"password2": {pass}, "email": {"o'brien+x@example.be"}})
	if r.path != "/request/sent" {
		t.Fatalf("account with quotes in password and e-mail: %d %s", r.status, r.path)
	}
	codes := e.last().codes(t)
	for _, s := range sqlish { // in login fields
		if r, _ := e.browser().login(s, s, func(int) string { return s }); r.status != http.StatusUnauthorized {
			t.Errorf("login %q: %d", s, r.status)
		}
		if r, _ := e.browser().login("o.brien", pass, func(int) string { return s }); !b.shows(r, "err.code") {
			t.Errorf("code %q: %d %s", s, r.status, r.path)
		}
	}
	if r, _ := e.browser().login("o.brien", pass, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login after the attempts: %s", r.path)
	}

	// Desk fields keep the characters literally.
	f := desk("85031486536")
	f.Set("surname", "O'Brien"+sqlish[0])
	f.Set("given", sqlish[1])
	f.Set("street", "Rue d'Amour 1"+sqlish[2])
	f.Set("municipality", sqlish[3])
	f.Set("email", "o'hara@example.be")
	code, link := e.register(f)
	w := e.browser()
	// Not pass: the names hold its parts, and a password may not be made
	// of the citizen's name.
	if r := w.submit(link, link, activationForm(code, "ohara", sqlish[2]+sqlish[3])); r.path != "/request/sent" {
		t.Fatalf("activation: %d %s", r.status, r.path)
	}
	letter := e.last().html
	for _, want := range []string{f.Get("surname"), f.Get("given"), f.Get("street"), f.Get("municipality")} {
		if !strings.Contains(unescape(letter), want) {
			t.Errorf("letter lacks %q", want)
		}
	}
	f.Set("nn", "85031486536' OR 1=1")
	if r := e.officer().submit("/officer", "/officer/register", f); !b.shows(r, "err.nn") {
		t.Errorf("national number with SQL: %d", r.status)
	}
	e.countRows(map[string]int{"citizens": 2, "tokens": 2, "token_codes": 48})
}

// countRows checks table sizes straight in the database file.
func (e *env) countRows(want map[string]int) {
	e.t.Helper()
	for table, n := range want {
		var got int
		if err := e.p.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&got); err != nil || got != n {
			e.t.Errorf("%s: %d rows (%v), want %d", table, got, err, n)
		}
	}
}

func unescape(s string) string { return html.UnescapeString(s) }
