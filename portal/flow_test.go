package portal

import (
	"net/http"
	"strings"
	"testing"
)

const (
	user1 = "marie.dubois"
	pass1 = "correct horse battery"
	mail1 = "marie@example.be"
)

// wrong returns a code that is not want.
func wrong(want string) string {
	if want == "AAAAAA" {
		return "BBBBBB"
	}
	return "AAAAAA"
}

func TestOnlineRequestLoginAndRenewal(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	c := loadCard(t, "citizen-1.8")
	b := e.browser()

	// First request: account, then the token e-mailed.
	r := b.requestOnline(c, user1, pass1, mail1)
	if r.path != "/request/sent" || !strings.Contains(r.body, mail1) {
		t.Fatalf("after account: %s %d\n%s", r.path, r.status, r.body)
	}
	m := e.last()
	if m.kind != kindMail || m.to != mail1 {
		t.Fatalf("outbox message kind %q to %q", m.kind, m.to)
	}
	codes := m.codes(t)
	distinct := map[string]bool{}
	for pos := 1; pos <= CodeCount; pos++ {
		if len(codes[pos]) != CodeLength {
			t.Fatalf("code %d = %q", pos, codes[pos])
		}
		distinct[codes[pos]] = true
	}
	if len(codes) != CodeCount || len(distinct) != CodeCount {
		t.Fatalf("%d codes, %d distinct: %v", len(codes), len(distinct), codes)
	}
	if !strings.Contains(m.html, c.holder(t)) || !strings.Contains(r.body, m.serial(t)) {
		t.Errorf("token card lacks holder %q or the page lacks serial %s", c.holder(t), m.serial(t))
	}

	// A wrong code fails and keeps the position; the right one logs in.
	b2 := e.browser()
	r, pos := b2.login(user1, pass1, func(p int) string { return wrong(codes[p]) })
	if r.status != http.StatusUnauthorized || !b2.shows(r, "err.code") {
		t.Fatalf("wrong code: %d %s", r.status, r.path)
	}
	if again := position(t, r.body); again != pos {
		t.Errorf("position changed after a wrong code: %d then %d", pos, again)
	}
	r = b2.post("/login/code", map[string][]string{"csrf": {b2.csrf()}, "code": {strings.ToLower(codes[pos])}})
	if r.path != "/me" || !strings.Contains(r.body, c.holder(t)) || !strings.Contains(r.body, m.serial(t)) {
		t.Fatalf("right code: %d %s\n%s", r.status, r.path, r.body)
	}

	// A second request revokes the first token.
	r = e.browser().requestOnline(c, "", "", "")
	m2 := e.last()
	if r.path != "/request/sent" || m2.name == m.name || m2.serial(t) == m.serial(t) {
		t.Fatalf("second request: %s; serials %s %s", r.path, m.serial(t), m2.serial(t))
	}
	codes2 := m2.codes(t)
	r, pos = e.browser().login(user1, pass1, func(p int) string { return codes[p] })
	if r.path == "/me" || codes[pos] == codes2[pos] {
		t.Fatalf("old token's code %d still logs in (%s)", pos, r.path)
	}
	r, _ = e.browser().login(user1, pass1, func(p int) string { return codes2[p] })
	if r.path != "/me" || !strings.Contains(r.body, m2.serial(t)) {
		t.Fatalf("new token: %s\n%s", r.path, r.body)
	}
}

func TestLoginWrongPasswordAndUnknownUser(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	b.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
	for _, c := range []struct{ user, pass string }{{user1, "wrong password!"}, {"nobody", pass1}, {"", ""}} {
		r, _ := e.browser().login(c.user, c.pass, func(int) string { return "AAAAAA" })
		if r.status != http.StatusUnauthorized || r.path != "/login" || !b.shows(r, "err.login") {
			t.Errorf("%q/%q: %d %s", c.user, c.pass, r.status, r.path)
		}
	}
}

func TestLanguages(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	for _, c := range []struct{ path, want string }{
		{"/", e.p.cats["nl"].T("home.title")},
		{"/?lang=fr", e.p.cats["fr"].T("home.title")},
		{"/login", e.p.cats["fr"].T("login.title")}, // remembered
		{"/login?lang=en", e.p.cats["en"].T("login.title")},
		{"/login?lang=de", e.p.cats["de"].T("login.title")},
		{"/login?lang=es", e.p.cats["de"].T("login.title")}, // unknown: unchanged
	} {
		if r := b.get(c.path); !strings.Contains(r.body, c.want) {
			t.Errorf("%s: missing %q", c.path, c.want)
		}
	}
	for accept, want := range map[string]string{"es-ES, fr-BE;q=0.8": "fr", "de-BE, fr-BE;q=0.8": "de", "": "nl"} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
		req.Header.Set("Accept-Language", accept)
		if r := e.browser().do(req); !strings.Contains(r.body, `<html lang="`+want+`">`) {
			t.Errorf("Accept-Language %q did not give %s", accept, want)
		}
	}
}
