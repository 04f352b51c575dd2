package portal

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	activationCodeRE = regexp.MustCompile(`id="activation-code">([A-Z0-9]+)<`)
	activationLinkRE = regexp.MustCompile(`class="activation-link" href="([^"]+)"`)
)

// desk is a counter registration as an officer makes it.
func desk(nn string) url.Values {
	return url.Values{"nn": {nn}, "surname": {"Peeters"}, "given": {"Jan Pieter"}, "street": {"Kerkstraat 1"},
		"zip": {"9000"}, "municipality": {"Gent"}, "email": {"jan@example.be"}, "lang": {"nl"}}
}

// officer returns a browser logged in at the desk by the holder of the
// trusted fixture's card, made a desk officer.
func (e *env) officer() *browser {
	e.t.Helper()
	c := loadCard(e.t, e.trust)
	if err := e.p.AddOfficer(context.Background(), c.auth.Subject.SerialNumber, "Desk Officer"); err != nil {
		e.t.Fatal(err)
	}
	b := e.browser()
	if status, m := b.officerLogin(c); status != http.StatusOK || m["next"] != "/officer" {
		e.t.Fatalf("officer login: %d %v", status, m)
	}
	if r := b.get("/officer"); !strings.Contains(r.body, `name="nn"`) {
		e.t.Fatalf("the desk after the officer's login: %d %s", r.status, r.path)
	}
	return b
}

// officerLogin logs in at the desk with card c, as the officer page's
// script does: a challenge, the agent's token, the verification.
func (b *browser) officerLogin(c *card) (int, map[string]string) {
	b.t.Helper()
	b.get("/officer")
	csrf := b.csrf()
	_, ch := b.postJSON("/request/challenge", csrf, nil)
	r, m := b.postJSON("/officer/verify", csrf, map[string]any{"nonce": ch["nonce"],
		"token": rawJSON(c.token(b.t, b.e.srv.URL, ch["nonce"]))})
	return r.status, m
}

// register registers form at the desk and returns the activation code
// shown to the officer and the link e-mailed to the citizen.
func (e *env) register(form url.Values) (code, link string) {
	e.t.Helper()
	b := e.officer()
	r := b.submit("/officer", "/officer/register", form)
	m := activationCodeRE.FindStringSubmatch(r.body)
	if m == nil {
		e.t.Fatalf("registration: %d\n%s", r.status, r.body)
	}
	mail := e.last()
	l := activationLinkRE.FindStringSubmatch(mail.html)
	if mail.to != form.Get("email") || l == nil {
		e.t.Fatalf("activation mail to %q, link %v", mail.to, l)
	}
	u, err := url.Parse(l[1])
	if err != nil || u.Scheme+"://"+u.Host != e.srv.URL {
		e.t.Fatalf("activation link %q: %v", l[1], err)
	}
	return m[1], u.Path
}

func activationForm(code, user, pass string) url.Values {
	return url.Values{"code": {code}, "username": {user}, "password": {pass}, "password2": {pass}}
}

func TestCounterRequest(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	if status, m := e.browser().officerLogin(loadCard(t, "citizen-1.8")); status != http.StatusForbidden {
		t.Fatalf("a card that is no officer's: %d %v", status, m)
	}
	if r := e.browser().submit("/login", "/officer/register", desk("85031486536")); r.status != http.StatusForbidden {
		t.Fatalf("registration without an officer: %d", r.status)
	}
	code, link := e.register(desk("85.03.14-865.36"))
	b := e.browser()
	if r := b.get(link); !strings.Contains(r.body, "Jan Pieter Peeters") {
		t.Fatalf("activation page: %d\n%s", r.status, r.body)
	}
	if r := b.submit(link, link, activationForm("WRONGCODE2", "jan", "a good password")); r.status != http.StatusUnprocessableEntity || !b.shows(r, "err.activation.code") {
		t.Fatalf("wrong activation code: %d", r.status)
	}
	r := b.submit(link, link, activationForm(strings.ToLower(code), "jan", "a good password"))
	if r.path != "/request/sent" {
		t.Fatalf("activation: %d %s\n%s", r.status, r.path, r.body)
	}
	letter := e.last()
	for _, want := range []string{"Jan Pieter Peeters", "Kerkstraat 1", "9000 Gent", letter.serial(t)} {
		if letter.kind != kindLetter || !strings.Contains(letter.html, want) || !strings.Contains(r.body, letter.serial(t)) {
			t.Fatalf("letter (%s) lacks %q", letter.kind, want)
		}
	}
	codes := letter.codes(t)
	if len(codes) != CodeCount {
		t.Fatalf("letter has %d codes", len(codes))
	}
	if r, _ := e.browser().login("jan", "a good password", func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login with the posted token: %s", r.path)
	}
	// The link is single use.
	if r := e.browser().get(link); r.status != http.StatusNotFound {
		t.Errorf("used link: %d", r.status)
	}
}

func TestCounterActivationLimits(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	// Expired: 14 days.
	_, link := e.register(desk("85031486536"))
	e.clock.add(14*24*time.Hour + time.Second)
	b := e.browser()
	if r := b.get(link); r.status != http.StatusNotFound || !b.shows(r, "err.activation") {
		t.Errorf("expired link: %d", r.status)
	}
	// A new registration replaces the old link.
	code2, link2 := e.register(desk("85031486536"))
	if r := e.browser().get(link); r.status != http.StatusNotFound {
		t.Errorf("replaced link: %d", r.status)
	}

	// Too many wrong codes kill the link, even for the right code.
	b.get(link2)
	csrf := b.csrf()
	post := func(code string) resp {
		f := activationForm(code, "jan", "a good password")
		f.Set("csrf", csrf)
		return b.post(link2, f)
	}
	for i := range maxActivationFailures {
		if r := post("WRONGCODE2"); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: %d", i+1, r.status)
		}
	}
	if r := post(code2); r.status != http.StatusNotFound || !b.shows(r, "err.activation") {
		t.Errorf("after %d wrong codes: %d", maxActivationFailures, r.status)
	}
}

func TestCounterFormValidation(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.officer()
	for _, c := range []struct{ field, value, key string }{
		{"nn", "85031486537", "err.nn"}, {"nn", "8503148653", "err.nn"},
		{"surname", "", "err.name"}, {"given", strings.Repeat("x", 101), "err.name"},
		{"street", "bad\x01", "err.address"}, {"zip", "900", "err.address"},
		{"email", "jan@", "err.email"}, {"email", "Jan <jan@example.be>", "err.email"},
	} {
		f := desk("85031486536")
		f.Set(c.field, c.value)
		if r := b.submit("/officer", "/officer/register", f); r.status != http.StatusUnprocessableEntity || !b.shows(r, c.key) {
			t.Errorf("%s=%q: %d, want %s", c.field, c.value, r.status, c.key)
		}
	}
}
