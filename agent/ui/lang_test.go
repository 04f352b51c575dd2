package ui

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every message exists in every language, with the same format verbs in
// the same order, and none is left in English (but for the allowed).
func TestCataloguesComplete(t *testing.T) {
	c := catalogs()
	en := c["en"].Messages()
	verbs := regexp.MustCompile(`%[sd]`)
	same := map[string]bool{"item.photo": true} // "photo" is French too
	for _, l := range Languages {
		m := c[l].Messages()
		if len(m) != len(en) {
			t.Errorf("%s has %d messages, English %d", l, len(m), len(en))
		}
		for k, v := range en {
			got, ok := m[k]
			switch {
			case !ok || strings.TrimSpace(got) == "":
				t.Errorf("%s lacks %s", l, k)
			case l != "en" && got == v && !same[k]:
				t.Errorf("%s.%s is still English: %q", l, k, got)
			case !slices.Equal(verbs.FindAllString(got, -1), verbs.FindAllString(v, -1)):
				t.Errorf("%s.%s has the format verbs %v, English %v", l, k, verbs.FindAllString(got, -1), verbs.FindAllString(v, -1))
			}
		}
	}
}

// The page's language decides, then the desktop's, then English.
func TestPickLang(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "fr_BE.UTF-8")
	for page, want := range map[string]string{"nl-BE": "nl", "nl": "nl", "de-BE": "de", "de": "de", "en-GB": "en",
		"FR": "fr", "": "fr", "es": "fr", "x-klingon": "fr", "nl-NL": "nl", strings.Repeat("a", 100): "fr"} {
		if got := PickLang(page); got != want {
			t.Errorf("PickLang(%q) with a French desktop = %s, want %s", page, got, want)
		}
	}
	t.Setenv("LANG", "C")
	if got := PickLang("es"); got != "en" {
		t.Errorf("PickLang(es) on a C locale = %s, want en", got)
	}
}

// A dialog in each language names the site, says what it receives and,
// on the last try, warns in that language.
func TestTextInEveryLanguage(t *testing.T) {
	q := Question{Kind: KindPIN, Origin: "https://mijn.belgium.be", Purpose: PurposeAuthenticate, Holder: "Marie", TriesLeft: 1}
	want := map[string][]string{
		"nl": {"rijksregisternummer", "laatste poging", "PUK-code", "pincode"},
		"fr": {"numéro de registre national", "dernier essai", "code PUK", "code PIN"},
		"de": {"Nationalregisternummer", "letzter Versuch", "PUK-Code", "PIN-Code"},
		"en": {"national register number", "last try", "PUK code", "PIN"},
	}
	for l, words := range want {
		q.Lang = l
		text := Text(q)
		for _, w := range append(words, "https://mijn.belgium.be", "Marie") {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the dialog lacks %q:\n%s", l, w, text)
			}
		}
		b, _ := json.Marshal(q)
		if !strings.Contains(string(b), `"lang":"`+l+`"`) {
			t.Errorf("an exec: command is not told the language: %s", b)
		}
	}
}

// The terminal takes yes in the dialog's language, and nothing else.
func TestConsentAnswers(t *testing.T) {
	for _, c := range []struct {
		lang, answer string
		yes          bool
	}{{"en", "y", true}, {"en", "YES", true}, {"nl", "ja", true}, {"nl", "j", true}, {"fr", "oui", true},
		{"fr", "o", true}, {"de", "Ja", true}, {"fr", "y", false}, {"nl", "nee", false}, {"de", "", false}} {
		if got := consentAnswer(c.lang, c.answer); got != c.yes {
			t.Errorf("%s %q: %v, want %v", c.lang, c.answer, got, c.yes)
		}
	}
}

func TestSignTextInEveryLanguage(t *testing.T) {
	q := Question{Kind: KindPIN, Origin: "https://a.be", Purpose: PurposeSign, Document: "Contract\n42",
		Fingerprint: Fingerprint([]byte{0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6}), TriesLeft: 3}
	if q.Fingerprint != "DEAD BEEF 0102 0304" {
		t.Errorf("Fingerprint = %q", q.Fingerprint)
	}
	for _, l := range Languages {
		q.Lang = l
		text := Text(q)
		if !strings.Contains(text, "Contract?42") || !strings.Contains(text, "DEAD BEEF 0102 0304") {
			t.Errorf("%s: %s", l, text)
		}
	}
}
