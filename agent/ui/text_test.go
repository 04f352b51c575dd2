package ui

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPurposeText(t *testing.T) {
	tests := []struct {
		p    Purpose
		want string
	}{
		{PurposeAuthenticate, "tax.example.be:8443 asks you to log in with your eID."},
		{PurposeReadIdentity, "tax.example.be:8443 asks to read your name, address and photo."},
		{PurposeGetSigningCertificate, "tax.example.be:8443 asks for your signing certificate (it shows your name)."},
		{PurposeSign, "tax.example.be:8443 asks you to sign a document."},
		{"somethingNew", "tax.example.be:8443 asks to use your eID card."},
	}
	for _, tt := range tests {
		if got := PurposeText("en", "tax.example.be:8443", tt.p); got != tt.want {
			t.Errorf("PurposeText(%q) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestTriesText(t *testing.T) {
	tests := []struct {
		left  int
		wrong bool
		want  string
	}{
		{3, false, "3 tries left."},
		{2, true, "Wrong PIN. 2 tries left."},
		{1, false, "⚠ Careful, this is your last try: a wrong PIN now blocks your card, and unblocking it takes your PUK code at your municipality."},
		{1, true, "⚠ Wrong PIN. Careful, this is your last try: a wrong PIN now blocks your card, and unblocking it takes your PUK code at your municipality."},
		{0, false, ""},
		{0, true, "Wrong PIN."},
		{-1, false, ""},
	}
	for _, tt := range tests {
		if got := TriesText("en", tt.left, tt.wrong); got != tt.want {
			t.Errorf("TriesText(%d, %v) = %q, want %q", tt.left, tt.wrong, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		q    Question
		want string
	}{
		{"pin", Question{Kind: KindPIN, Origin: "a.be", Purpose: PurposeAuthenticate, Holder: "Alice Test", TriesLeft: 3},
			"a.be asks you to log in with your eID.\nThe site will receive your name and national register number (from your authentication certificate).\nCard holder: Alice Test.\n3 tries left.\nType your PIN (4 to 12 digits)."},
		{"pin, the signing certificate too (web-eid:1.1)", Question{Kind: KindPIN, Origin: "a.be", Purpose: PurposeAuthenticate,
			Holder: "Alice Test", TriesLeft: 3, SigningCertificate: true},
			"a.be asks you to log in with your eID.\nThe site will receive your name and national register number (from your authentication certificate).\nThe site will also receive your signing certificate (it shows your name and national register number).\nCard holder: Alice Test.\n3 tries left.\nType your PIN (4 to 12 digits)."},
		{"blocked: no signing certificate goes", Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeAuthenticate,
			Blocked: true, SigningCertificate: true},
			"a.be asks you to log in with your eID.\nYour card's PIN is blocked after three wrong PINs. Your municipality unblocks it with your PUK code (the letter that came with your card). The site will only learn that the card cannot be used now."},
		{"wrong pin", Question{Kind: KindPIN, Origin: "a.be", Purpose: PurposeSign, Holder: "Alice Test", TriesLeft: 2, WrongPIN: true},
			"a.be asks you to sign a document.\nCard holder: Alice Test.\nWrong PIN. 2 tries left.\nType your PIN (4 to 12 digits)."},
		{"pinpad last try", Question{Kind: KindPIN, Origin: "a.be:444", Purpose: PurposeAuthenticate, Holder: "Bob", TriesLeft: 1, PINPad: true},
			"a.be:444 asks you to log in with your eID.\nThe site will receive your name and national register number (from your authentication certificate).\nCard holder: Bob.\n⚠ Careful, this is your last try: a wrong PIN now blocks your card, and unblocking it takes your PUK code at your municipality.\nType your PIN on the card reader's keypad."},
		{"blocked card: nothing is shared", Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeAuthenticate, Blocked: true},
			"a.be asks you to log in with your eID.\nYour card's PIN is blocked after three wrong PINs. Your municipality unblocks it with your PUK code (the letter that came with your card). The site will only learn that the card cannot be used now."},
		{"consent has no tries", Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeReadIdentity, Holder: "Alice Test", TriesLeft: 3},
			"a.be asks to read your name, address and photo.\nCard holder: Alice Test."},
		{"consent names each item read", Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeReadIdentity, Holder: "Alice Test",
			Items: []string{"identity", "address", "photo"}},
			"a.be asks to read your identity data (name, national register number, date and place of birth, nationality), address and photo.\nCard holder: Alice Test."},
		{"address only", Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeReadIdentity, Items: []string{"address"}},
			"a.be asks to read your address."},
		{"identity and photo", Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeReadIdentity, Items: []string{"identity", "photo"}},
			"a.be asks to read your identity data (name, national register number, date and place of birth, nationality) and photo."},
		{"items only word readIdentity", Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeGetSigningCertificate, Items: []string{"address"}},
			"a.be asks for your signing certificate (it shows your name)."},
		{"unknown holder left out", Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeGetSigningCertificate},
			"a.be asks for your signing certificate (it shows your name)."},
	}
	for _, tt := range tests {
		if got := Text(tt.q); got != tt.want {
			t.Errorf("%s: Text =\n%s\nwant\n%s", tt.name, got, tt.want)
		}
	}
}

func TestTitle(t *testing.T) {
	if got := Title(Question{Origin: "localhost:8443"}); got != "eidbridge — localhost:8443" {
		t.Errorf("Title = %q", got)
	}
}

// An item the agent does not know is shown as it is, cleaned, rather
// than dropped: the citizen must see everything that will be read.
func TestReadTextUnknownItemCleaned(t *testing.T) {
	got := ReadText("en", "a.be", []string{"address", "pho\nto\u202e"})
	if got != "a.be asks to read your address and pho?to?." {
		t.Errorf("ReadText = %q", got)
	}
}

// Text from a site or a card cannot add lines, reorder the display or
// send terminal escapes.
func TestTextCleansControlCharacters(t *testing.T) {
	q := Question{
		Kind:    KindConsent,
		Origin:  "evil.example\nbank.be asks nothing",
		Purpose: PurposeReadIdentity,
		Holder:  "Alice\x1b[2J\u202eeb.knab\xff",
	}
	text := Text(q) + Title(q)
	for _, bad := range []string{"\x1b", "\u202e", "\xff"} {
		if strings.Contains(text, bad) {
			t.Errorf("text keeps %q: %q", bad, text)
		}
	}
	if n := strings.Count(Text(q), "\n"); n != 1 {
		t.Errorf("text has %d line breaks, want 1 (purpose, holder): %q", n, Text(q))
	}
	if !strings.HasPrefix(Text(q), "evil.example?bank.be asks nothing asks to read") {
		t.Errorf("origin not shown with its newline replaced: %q", Text(q))
	}
}

// exec: commands get the items of a readIdentity; other questions carry
// no items field at all.
func TestQuestionItemsJSON(t *testing.T) {
	b, _ := json.Marshal(Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeReadIdentity, Items: []string{"identity", "photo"}})
	if !strings.Contains(string(b), `"items":["identity","photo"]`) {
		t.Errorf("readIdentity question: %s", b)
	}
	b, _ = json.Marshal(Question{Kind: KindPIN, Origin: "a.be", Purpose: PurposeSign})
	if strings.Contains(string(b), "items") {
		t.Errorf("sign question: %s", b)
	}
}
