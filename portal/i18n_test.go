package portal

import (
	"bytes"
	"encoding/json"
	"html"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
)

// keyRE finds message keys in templates and Go code: "area.name..." in
// double quotes, for the areas the catalogues use.
var keyRE = regexp.MustCompile(`"((?:site|nav|lang|home|request|js|account|field|sent|login|code|me|officer|activate|mailbox|mail|card|letter|err)\.[a-z0-9.]+)"`)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	seed := cats[languages[0]]
	for _, l := range languages {
		c := cats[l]
		for k, v := range c.Messages() {
			if _, ok := seed.Messages()[k]; !ok {
				t.Errorf("%s has %q, %s does not", l, k, seed.Lang)
			}
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %q is empty", l, k)
			}
			if strings.Count(v, "%") != strings.Count(seed.Messages()[k], "%") {
				t.Errorf("%s: %q has other placeholders than %s", l, k, seed.Lang)
			}
		}
		for k := range seed.Messages() {
			if _, ok := c.Messages()[k]; !ok {
				t.Errorf("%s lacks %q", l, k)
			}
		}
	}
}

// TestUsedKeysExist: every key the templates and the code name is in the
// catalogues, including those built from a variable part.
func TestUsedKeysExist(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, l := range languages {
		used["lang."+l] = true
	}
	used["mailbox.kind."+kindMail], used["mailbox.kind."+kindLetter] = true, true
	files, _ := fs.Glob(templateFS, "*/*.html")
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	goFiles, _ := fs.Glob(osFS, "*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := fs.ReadFile(osFS, f)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for k := range used {
		if _, ok := cats[languages[0]].Messages()[k]; !ok {
			t.Errorf("key %q is used but not in the catalogues", k)
		}
	}
}

var osFS = os.DirFS(".")

// sameAsEnglish lists, per language, the messages that are rightly the
// English text word for word; the names of the languages (each written in
// its own language) are everywhere.
var sameAsEnglish = map[string][]string{
	"nl": {"field.zip", "mailbox.kind.mail"},    // Postcode, e-mail
	"fr": {"mailbox.date", "mailbox.kind.mail"}, // Date, e-mail
	"de": {"me.name"},                           // Name
}

// TestMessagesAreTranslated: no message is left in English by mistake,
// and the list of those that may be stays exact.
func TestMessagesAreTranslated(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	en := cats["en"]
	for _, l := range languages {
		if l == "en" {
			continue
		}
		same := map[string]bool{}
		for _, k := range sameAsEnglish[l] {
			same[k] = true
		}
		for _, n := range languages {
			same["lang."+n] = true
		}
		for k, v := range cats[l].Messages() {
			switch {
			case v == en.Messages()[k] && !same[k]:
				t.Errorf("%s: %q is still the English %q", l, k, v)
			case v != en.Messages()[k] && same[k]:
				t.Errorf("%s: %q is %q, no longer the English %q: take it off the list", l, k, v, en.Messages()[k])
			}
		}
	}
	if _, ok := sameAsEnglish["en"]; ok || len(sameAsEnglish) != len(languages)-1 {
		t.Errorf("sameAsEnglish names %d languages, want every one but English", len(sameAsEnglish))
	}
}

// verbRE finds fmt verbs, %% included; an argument index (%[2]s) is
// caught too, so that no catalogue reorders the arguments.
var verbRE = regexp.MustCompile(`%(?:%|[-+# 0]*(?:\[\d+\])?\d*(?:\.\d*)?[a-zA-Z])`)

// TestFormatVerbsMatchEnglish: every message has the English message's
// verbs in the same order, every % is part of one, and no message holds
// markup (the templates escape it; none is meant).
func TestFormatVerbsMatchEnglish(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	en := cats["en"]
	for _, l := range languages {
		for k, v := range cats[l].Messages() {
			verbs := verbRE.FindAllString(v, -1)
			if got, want := strings.Join(verbs, " "), strings.Join(verbRE.FindAllString(en.Messages()[k], -1), " "); got != want {
				t.Errorf("%s: %q has verbs [%s], English [%s]", l, k, got, want)
			}
			if n := strings.Count(strings.Join(verbs, ""), "%"); n != strings.Count(v, "%") {
				t.Errorf("%s: %q has a %% that is no verb: %q", l, k, v)
			}
			if strings.ContainsAny(v, "<>") {
				t.Errorf("%s: %q holds markup: %q", l, k, v)
			}
		}
	}
}

// TestCataloguesAreCanonical: each catalogue is as python's json.dump
// (sort_keys, ensure_ascii=False, indent=1) writes it, with a final
// newline, so that a change shows as the lines it changes.
func TestCataloguesAreCanonical(t *testing.T) {
	for _, l := range languages {
		b, err := catalogFS.ReadFile("i18n/" + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(m); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want.Bytes()) {
			t.Errorf("i18n/%s.json is not in the catalogues' format (sorted keys, one a line, indent 1, UTF-8, final newline)", l)
		}
	}
}

// TestGerman: a German-speaking citizen gets pages and the token e-mail in
// German when they ask for it, and one registered at the desk in German
// gets the activation e-mail, the activation page and the letter in
// German, whatever the officer's own language.
func TestGerman(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	de := e.p.cats["de"]
	inGerman := func(what, body string, keys ...string) {
		t.Helper()
		body = html.UnescapeString(body)
		if !strings.Contains(body, `<html lang="de">`) {
			t.Errorf("%s is not marked German", what)
		}
		for _, k := range keys {
			if !strings.Contains(body, de.T(k)) {
				t.Errorf("%s lacks %s %q", what, k, de.T(k))
			}
		}
	}

	// Online, with ?lang=de: the page, then the token e-mail.
	b := e.browser()
	r := b.get("/?lang=de")
	inGerman("the home page", r.body, "home.title", "home.intro", "nav.request", "site.footer")
	// Each language by its code, named in its own language for screen
	// readers; the page's own marked as the current one.
	for _, l := range languages {
		current := ""
		if l == "de" {
			current = ` aria-current="true"`
		}
		want := `<a href="?lang=` + l + `" lang="` + l + `"` + current + ` hreflang="` + l + `">` + strings.ToUpper(l) +
			`<span class="visually-hidden"> ` + de.T("lang."+l) + `</span></a>`
		if !strings.Contains(r.body, want) {
			t.Errorf("the home page does not offer %s: want %s", l, want)
		}
	}
	r = b.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
	if r.path != "/request/sent" {
		t.Fatalf("online request: %d %s", r.status, r.path)
	}
	inGerman("the sent page", r.body, "sent.title") // a first request: no token replaced
	m := e.last()
	if m.kind != kindMail || m.to != mail1 || m.subject != de.T("mail.token.subject") {
		t.Fatalf("token e-mail: %s to %q, subject %q", m.kind, m.to, m.subject)
	}
	inGerman("the token e-mail", m.html, "mail.token.body", "mail.token.revoked", "mail.token.keep", "card.title", "card.serial")
	if len(m.codes(t)) != CodeCount {
		t.Errorf("the German token e-mail has %d codes", len(m.codes(t)))
	}

	// At the desk: the officer works in Dutch, the citizen chooses German.
	officer := e.officer()
	r = officer.get("/officer")
	if want := `<option value="de">` + e.p.cats["nl"].T("lang.de") + `</option>`; !strings.Contains(r.body, want) {
		t.Fatalf("the desk's form does not offer German: want %s", want)
	}
	form := desk("85031486536")
	form.Set("lang", "de")
	r = officer.submit("/officer", "/officer/register", form)
	code := activationCodeRE.FindStringSubmatch(r.body)
	if code == nil || !officer.shows(r, "officer.done.title") {
		t.Fatalf("registration: %d\n%s", r.status, r.body)
	}
	m = e.last()
	link := activationLinkRE.FindStringSubmatch(m.html)
	if m.subject != de.T("mail.activation.subject") || link == nil || !strings.HasSuffix(link[1], "?lang=de") {
		t.Fatalf("activation e-mail: subject %q, link %v", m.subject, link)
	}
	inGerman("the activation e-mail", m.html, "mail.activation.body", "mail.activation.ignore")

	// A browser that asks for nothing gets the activation page in German.
	c := e.browser()
	path := strings.TrimPrefix(link[1], e.srv.URL)
	inGerman("the activation page", c.get(path).body, "activate.title", "field.activation", "activate.submit")
	r = c.submit(path, path, activationForm(code[1], "jan", "a good password"))
	if r.path != "/request/sent" {
		t.Fatalf("activation: %d %s\n%s", r.status, r.path, r.body)
	}
	inGerman("the sent page after activation", r.body, "sent.title")
	m = e.last()
	if m.kind != kindLetter || m.subject != de.T("letter.subject") {
		t.Fatalf("letter: %s, subject %q", m.kind, m.subject)
	}
	inGerman("the letter", m.html, "letter.body", "mail.token.revoked", "mail.token.keep", "card.holder")
}
