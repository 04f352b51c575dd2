package portal

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The result page says the previous token stopped working only when
// there was one: not on a first request.
func TestSentPageNamesAReplacedTokenOnlyWhenThereWasOne(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	first := b.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
	if first.path != "/request/sent" || strings.Contains(first.body, `id="replaced"`) {
		t.Errorf("a first request says a previous token stopped working: %s", first.path)
	}
	second := e.browser().requestOnline(loadCard(t, "citizen-1.8"), "", "", "")
	if second.path != "/request/sent" || !strings.Contains(second.body, `id="replaced"`) {
		t.Errorf("a second request does not say the previous token stopped working: %s", second.path)
	}
}

// French separates the software (le programme eidbridge) from the desk
// officer (l'agent du guichet): "agent" names only the person.
func TestFrenchNamesTheSoftwareAProgram(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range cats["fr"].Messages() {
		if strings.Contains(v, "agent eidbridge") || strings.Contains(v, "l'agent)") ||
			(strings.Contains(v, "agent") && !strings.Contains(v, "agent du guichet") && !strings.Contains(v, "agents du guichet") &&
				!strings.HasPrefix(k, "nav.officer")) {
			t.Errorf("fr %s calls something an agent that is not the desk officer: %q", k, v)
		}
	}
}

// A code of an older token is refused with the serial of the token whose
// codes count; a code typed in groups, or in lower case, is accepted.
func TestCodeStepNamesTheCurrentToken(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	old := onlineAccount(t, e)
	e.browser().requestOnline(loadCard(t, "citizen-1.8"), "", "", "")
	current := e.last()
	b := e.browser()
	r, pos := b.login(user1, pass1, func(p int) string { return old[p] })
	if r.path == "/me" || !strings.Contains(r.body, `id="current-token"`) || !strings.Contains(r.body, current.serial(t)) {
		t.Fatalf("a code of the old token: %s, the page does not name token %s", r.path, current.serial(t))
	}
	code := current.codes(t)[pos]
	spaced := strings.ToLower(code[:3]) + " " + code[3:]
	if r := b.post("/login/code", url.Values{"csrf": {b.csrf()}, "code": {spaced}}); r.path != "/me" {
		t.Errorf("the right code typed as %q: %s", spaced, r.path)
	}
}

// Usernames are checked as the hint says: 3 to 32 lower-case letters,
// digits, dots, hyphens and underscores, from a letter or digit on;
// capitals count as lower case. The form's pattern says the same.
func TestUsernamesAsTheHintSays(t *testing.T) {
	for name, ok := range map[string]bool{"abc": true, "Marie.Dubois": true, "a_b-c.9": true, "9lives": true,
		strings.Repeat("a", 32): true, "ab": false, strings.Repeat("a", 33): false, ".marie": false, "-x1": false,
		"_x1": false, "marie dubois": false, "marié": false, "m@rie": false} {
		f := accountForm{Username: name, Password: "a long and unusual passphrase", Password2: "a long and unusual passphrase",
			Email: "x@example.be"}
		if got := f.check(true) != "err.username"; got != ok {
			t.Errorf("username %q accepted: %v, want %v (%s)", name, got, ok, f.check(true))
		}
		if pattern := regexp.MustCompile(`^(?:[A-Za-z0-9][A-Za-z0-9._\-]{2,31})$`); pattern.MatchString(name) != ok {
			t.Errorf("the form's pattern disagrees with the check on %q", name)
		}
	}
	for _, page := range []string{"templates/account.html", "templates/activate.html"} {
		b, _ := templateFS.ReadFile(page)
		if !strings.Contains(string(b), `pattern="[A-Za-z0-9][A-Za-z0-9._\-]{2,31}"`) {
			t.Errorf("%s: the username field lacks the pattern", page)
		}
	}
}

// A wrong activation code says how many tries the link takes still, and
// a code typed in groups counts.
func TestActivationTriesLeft(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	code, link := e.register(desk("85031486536"))
	b := e.browser()
	r := b.submit(link, link, activationForm("WRONGCODE2", "jan.peeters", "a long and unusual passphrase"))
	if !b.shows(r, "err.activation.code") || !strings.Contains(r.body, `id="tries-left"`) ||
		!strings.Contains(r.body, fmt.Sprint(maxActivationFailures-1)) {
		t.Fatalf("a wrong activation code: %d\n%s", r.status, r.body)
	}
	spaced := code[:4] + " " + strings.ToLower(code[4:])
	if r := b.submit(link, link, activationForm(spaced, "jan.peeters", "a long and unusual passphrase")); r.path != "/request/sent" {
		t.Errorf("the code typed as %q: %s", spaced, r.path)
	}
}

// After a wrong activation code the form keeps what the citizen typed,
// the two passwords too, exactly (escaped in the page), and marks and
// focuses the code; sent back as the page holds it with the right code,
// it activates. A refused password is never shown again.
func TestActivationKeepsPasswordsAfterWrongCode(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	code, link := e.register(desk("85031486536"))
	b := e.browser()
	const pass = `a long & "unusual" <passphrase> + 'more'`
	r := b.submit(link, link, activationForm("WRONGCODE2", "jan.peeters", pass))
	if !b.shows(r, "err.activation.code") {
		t.Fatalf("a wrong activation code: %d\n%s", r.status, r.body)
	}
	kept := url.Values{"code": {code}}
	for _, name := range []string{"username", "password", "password2"} {
		kept.Set(name, inputValue(r.body, name))
	}
	if kept.Get("username") != "jan.peeters" || kept.Get("password") != pass || kept.Get("password2") != pass {
		t.Errorf("after a wrong code the form holds %q, %q, %q", kept.Get("username"), kept.Get("password"), kept.Get("password2"))
	}
	if !strings.Contains(r.body, `<input name="code" required autocomplete="off" maxlength="12" aria-invalid="true" aria-describedby="page-error tries-left" autofocus>`) {
		t.Errorf("the code is not marked as the field in error:\n%s", r.body)
	}
	refused := b.submit(link, link, activationForm(code, "jan.peeters", "Password1234"))
	if !b.shows(refused, "err.password.common") || strings.Contains(refused.body, "Password1234") {
		t.Errorf("a refused password: %d, shown again: %v", refused.status, strings.Contains(refused.body, "Password1234"))
	}
	kept.Set("csrf", b.csrf())
	if r := b.post(link, kept); r.path != "/request/sent" {
		t.Fatalf("the kept form with the right code: %d %s", r.status, r.path)
	}
}

var inputValueRE = regexp.MustCompile(`<input name="([a-z0-9]+)"[^>]* value="([^"]*)"`)

// inputValue is the value the page gives input name, unescaped.
func inputValue(body, name string) string {
	for _, m := range inputValueRE.FindAllStringSubmatch(body, -1) {
		if m[1] == name {
			return html.UnescapeString(m[2])
		}
	}
	return ""
}
