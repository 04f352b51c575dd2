package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ncruces/zenity"
)

var siteQ = Question{Kind: KindSite, Origin: "https://shop.example.com", Lang: "nl"}

// The first-contact question names the site, says it is not a known
// one, and asks in the question's language.
func TestSiteText(t *testing.T) {
	for _, l := range Languages {
		q := siteQ
		q.Lang = l
		text := Text(q)
		if !strings.Contains(text, "https://shop.example.com") || !strings.Contains(text, T(l, "site.unknown")) {
			t.Errorf("%s: %q does not name the site and why it asks", l, text)
		}
	}
	q := siteQ
	q.Origin = "https://evil.example\n\u202eeb.mg"
	if strings.Count(Text(q), "\n") != 1 || strings.ContainsRune(Text(q), '\u202e') {
		t.Errorf("an origin adds lines or reorders the text: %q", Text(q))
	}
}

func TestNativeSite(t *testing.T) {
	for _, tt := range []struct {
		answer string
		err    error
		want   string
	}{
		{AnswerOnce, nil, AnswerOnce},
		{AnswerAlways, nil, AnswerAlways},
		{"", zenity.ErrCanceled, ""},
	} {
		f := &fakeDialogs{siteAns: tt.answer, err: tt.err}
		a, err := (&Native{d: f}).Ask(context.Background(), siteQ)
		if string(a) != tt.want || (tt.want == "") != errors.Is(err, ErrCancelled) {
			t.Errorf("dialog %q/%v: Ask = %q, %v", tt.answer, tt.err, a, err)
		}
		if len(f.calls) != 1 || !strings.HasSuffix(f.calls[0], T("nl", "site.question")) {
			t.Errorf("shown %q, want one site dialog ending in the question", f.calls)
		}
	}
}

func TestTerminalSite(t *testing.T) {
	for _, tt := range []struct{ lang, typed, want string }{
		{"en", "o\r", AnswerOnce},
		{"en", " ONCE\r", AnswerOnce},
		{"en", "a\r", AnswerAlways},
		{"nl", "d\r", AnswerOnce},
		{"nl", "altijd\r", AnswerAlways},
		{"fr", "t\r", AnswerAlways},
		{"de", "i\r", AnswerAlways},
		{"en", "y\r", ""},
		{"en", "\r", ""},
		{"en", "\x03", ""},
		{"en", strings.Repeat("a", 100) + "\r", ""},
	} {
		q := siteQ
		q.Lang = tt.lang
		out := &bytes.Buffer{}
		a, err := converse(strings.NewReader(tt.typed), out, q)
		if string(a) != tt.want || (tt.want == "") != errors.Is(err, ErrCancelled) {
			t.Errorf("%s %q: %q, %v; want %q", tt.lang, tt.typed, a, err, tt.want)
		}
		if !strings.Contains(out.String(), T(tt.lang, "site.choices")) {
			t.Errorf("%s: choices not shown: %q", tt.lang, out)
		}
	}
}

func TestParseAnswerSite(t *testing.T) {
	for out, want := range map[string]string{
		`{"allow":true}`:     AnswerOnce,
		`{"allow":"always"}`: AnswerAlways,
		`{"allow":false}`:    "",
		`{"allow":"once"}`:   "",
		`{"cancel":true}`:    "",
	} {
		a, err := parseAnswer(siteQ, []byte(out))
		if string(a) != want || (want == "") != errors.Is(err, ErrCancelled) {
			t.Errorf("%s: %q, %v; want %q", out, a, err, want)
		}
	}
	if a, err := parseAnswer(consentQ, []byte(`{"allow":"always"}`)); a != nil || !errors.Is(err, ErrCancelled) {
		t.Errorf(`"always" to a consent: %q, %v; want cancelled`, a, err)
	}
}
