package portal

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// passwordMarked: the page marks the password field as the one in error.
var passwordMarked = regexp.MustCompile(`<input name="password" [^>]*aria-invalid="true"`)

// The account form after the eID refuses weak passwords with a message
// that says why, keeps what was typed but the passwords, and stores
// nothing; then a password of 12 characters in more bytes is accepted.
func TestAccountFormRefusesWeakPasswords(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	if status, m := b.send(b.proof(loadCard(t, "citizen-1.8"))); status != http.StatusOK || m["next"] != "/request/account" {
		t.Fatalf("verify: %d %v", status, m)
	}
	for _, c := range []struct{ pw, key string }{
		{"Kx9#mQ2vLp4", "err.password.short"},
		{"café-crème-", "err.password.short"}, // 11 characters in 13 bytes
		{"password1234", "err.password.common"},
		{"PASSWORD1234", "err.password.common"},
		{"PassWord1234", "err.password.common"},
		{"123456789012", "err.password.common"},
		{"P@ssw0rd2024!", "err.password.common"},
		{"marie.dubois-2024", "err.password.personal"}, // the username
		{"Marie@Example.be!", "err.password.personal"}, // the e-mail address
	} {
		r := b.submit("/request/account", "/request/account", url.Values{"username": {user1},
			"password": {c.pw}, "password2": {c.pw}, "email": {mail1}})
		if r.status != http.StatusUnprocessableEntity || r.path != "/request/account" || !b.shows(r, c.key) {
			t.Errorf("%q: %d %s, want %s:\n%s", c.pw, r.status, r.path, c.key, r.body)
			continue
		}
		if !strings.Contains(r.body, `value="`+user1+`"`) || !strings.Contains(r.body, `value="`+mail1+`"`) {
			t.Errorf("%q: the form lost the username or the e-mail address", c.pw)
		}
		if strings.Contains(unescape(r.body), c.pw) {
			t.Errorf("%q: the page shows the password", c.pw)
		}
		if !passwordMarked.MatchString(r.body) {
			t.Errorf("%q: the password field is not marked invalid", c.pw)
		}
	}
	e.countRows(map[string]int{"citizens": 0, "tokens": 0, "token_codes": 0})
	if m := e.outbox(); len(m) != 0 {
		t.Fatalf("%d messages sent for refused forms", len(m))
	}
	// In French too, the message names the rule.
	r := b.submit("/request/account?lang=fr", "/request/account", url.Values{"username": {user1},
		"password": {"password1234"}, "password2": {"password1234"}, "email": {mail1}})
	if !b.showsIn(r, "fr", "err.password.common") {
		t.Errorf("French page lacks the French message:\n%s", r.body)
	}

	const strong = "café-crème-à" // 12 characters in 15 bytes
	r = b.submit("/request/account", "/request/account", url.Values{"username": {user1},
		"password": {strong}, "password2": {strong}, "email": {mail1}})
	if r.path != "/request/sent" {
		t.Fatalf("strong password: %d %s\n%s", r.status, r.path, r.body)
	}
	codes := e.last().codes(t)
	if r, _ := e.browser().login(user1, strong, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login with the new password: %d %s", r.status, r.path)
	}
}

// The activation form after a desk registration applies the same rules,
// with the name and the e-mail address the desk registered; a refused
// password is no wrong activation code and changes nothing.
func TestActivationRefusesWeakPasswords(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	code, link := e.register(desk("85031486536")) // Jan Pieter Peeters, jan@example.be
	b := e.browser()
	cases := []struct{ pw, key string }{
		{"Kx9#mQ2vLp4", "err.password.short"},
		{"Password1234", "err.password.common"},
		{"qwertyuiop12", "err.password.common"},
		{"Pieter-Peeters85", "err.password.personal"}, // the name
		{"JanPieter2024!!", "err.password.personal"},  // the given names
		{"jan@example.be!!", "err.password.personal"}, // the e-mail address on file
		{"jp85 jp85 jp85", "err.password.personal"},   // the username
	}
	if len(cases) <= maxActivationFailures {
		t.Fatal("too few cases to show that refusals do not count as wrong codes")
	}
	for _, c := range cases {
		r := b.submit(link, link, activationForm(code, "jp85", c.pw))
		if r.status != http.StatusUnprocessableEntity || !b.shows(r, c.key) {
			t.Errorf("%q: %d %s, want %s", c.pw, r.status, r.path, c.key)
			continue
		}
		if !strings.Contains(r.body, `value="jp85"`) || !passwordMarked.MatchString(r.body) {
			t.Errorf("%q: the form lost the username or does not mark the password", c.pw)
		}
	}
	e.countRows(map[string]int{"citizens": 1, "tokens": 0})
	var named int
	if err := e.p.db.QueryRow(`SELECT COUNT(*) FROM citizens WHERE username IS NOT NULL OR password_hash IS NOT NULL`).Scan(&named); err != nil || named != 0 {
		t.Fatalf("credentials stored after refusals: %d (%v)", named, err)
	}
	if r := b.submit(link, link, activationForm(code, "jp85", "a good password")); r.path != "/request/sent" {
		t.Fatalf("strong password after the refusals: %d %s", r.status, r.path)
	}
}
