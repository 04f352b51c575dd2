package portal

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPasswordRules(t *testing.T) {
	long := []rune(strings.Repeat("Kx9#mQ2vLp4z€", 20))
	personal := []string{"marie.dubois", "marie.d+portal@example.be", "Marie Josée", "Van den Berg"}
	for _, c := range []struct{ pw, want string }{
		// Length, in characters.
		{"", "err.password.short"},
		{"Kx9#mQ2vLp4", "err.password.short"}, // 11
		{"café-crème-", "err.password.short"}, // 11 characters, 13 bytes
		{"Kx9#mQ2vLp4z", ""},                  // 12
		{"ĳsvogel-čaj", "err.password.short"}, // 11 characters, 13 bytes
		{"éèàçüöñßøåæœ", ""},                  // 12 characters, 24 bytes
		{"café-crème-à", ""},                  // 12 characters, 15 bytes
		{string(long[:maxPassword]), ""},      // 256 characters, 294 bytes
		{string(long[:maxPassword+1]), "err.password.long"},
		{"bad \xff bytes here", "err.password.invalid"},
		// On the list, in any case.
		{"password1234", "err.password.common"},
		{"PASSWORD1234", "err.password.common"},
		{"PassWord1234", "err.password.common"},
		{"123456789012", "err.password.common"},
		{"1qaz2wsx3edc", "err.password.common"},
		{"qwertyuiopasdfgh", "err.password.common"},
		// Letters written as digits or symbols.
		{"P@ssw0rd2024", "err.password.common"},
		{"p4ssw0rd!!!!", "err.password.common"},
		// A listed word with what attackers add to it.
		{"Sunshine2024!", "err.password.common"},
		{"!!Football1234", "err.password.common"},
		{"dragon12345678", "err.password.common"},
		{"iloveyou 2024", "err.password.common"},
		// Predictable: runs along a row, either way, and repeats.
		{"abcdefghijklm", "err.password.common"},
		{"987654321098", "err.password.common"},
		{"azertyuiopqsdf", "err.password.common"},
		{"aaaaaaaaaaaaaaaa", "err.password.common"},
		{"abc123abc123", "err.password.common"},
		{"passwordpassword", "err.password.common"},
		{"Qwerty!!Qwerty!!", "err.password.common"},
		{`&é"'(§è!çà&é"`, "err.password.common"},
		// Not these: a random tail, a phrase, digits that are no run.
		{"dragon58302749", ""},
		{"correct horse battery", ""},
		{"Kx9#mQ2vLp4zKx9#mQ2vLp4z", ""}, // a repeated part of 12 counts as the part
		{"583027491736", ""},
		// Made of the username, the e-mail address or the name.
		{"marie.dubois2024", "err.password.personal"},
		{"MarieDubois!!1234", "err.password.personal"},
		{"m4r1edub0is-2024", "err.password.personal"},
		{"marie.d+portal@example.be", "err.password.personal"},
		{"Josée-vandenberg", "err.password.personal"},
		{"Van den Berg 1234", "err.password.personal"},
		{"marie password1234", "err.password.personal"}, // what is left is on the list
		{"marie lives by the sea", ""},                  // 17 characters besides the name
		{"example example!", ""},                        // the provider's domain is not personal
	} {
		if got := passwordProblem(c.pw, personal...); got != c.want {
			t.Errorf("%q (%d characters): %q, want %q", c.pw, utf8.RuneCountInString(c.pw), got, c.want)
		}
	}
}

// The account form applies the rules with the username and the e-mail
// address typed, and whatever else the caller knows of the citizen.
func TestAccountFormPasswordRules(t *testing.T) {
	for _, c := range []struct {
		f    accountForm
		want string
	}{
		{accountForm{Username: "Jan.Peeters", Password: "janpeeters-1985", Email: "jp@example.be"}, "err.password.personal"},
		{accountForm{Username: "jp85", Password: "jpeeters@mail.be!", Email: "jpeeters@mail.be"}, "err.password.personal"},
		{accountForm{Username: "jp85", Password: "Pieter-Peeters-85", Personal: []string{"Jan Pieter", "Peeters"}}, "err.password.personal"},
		{accountForm{Username: "jp85", Password: "Pieter-Peeters-85"}, ""},
		{accountForm{Username: "jp85", Password: "password1234"}, "err.password.common"},
		{accountForm{Username: "jp85", Password: "short"}, "err.password.short"},
	} {
		c.f.Password2 = c.f.Password
		if got := c.f.check(false); got != c.want {
			t.Errorf("%+v: %q, want %q", c.f, got, c.want)
		}
	}
}

// common.txt is what the search expects: lowercase, sorted, no
// duplicates or empty lines, and it holds the most common of all.
func TestCommonPasswordList(t *testing.T) {
	if !strings.HasSuffix(commonText, "\n") {
		t.Error("common.txt does not end in a newline")
	}
	l := strings.Split(strings.TrimSuffix(commonText, "\n"), "\n")
	if len(l) < 10_000 {
		t.Fatalf("common.txt has %d passwords, want at least 10,000", len(l))
	}
	if !slices.IsSorted(l) {
		t.Error("common.txt is not sorted")
	}
	for i, p := range l {
		if p == "" || p != strings.ToLower(p) || strings.TrimSpace(p) != p || i > 0 && p == l[i-1] {
			t.Errorf("line %d: %q is empty, not lowercase, padded or repeated", i+1, p)
		}
	}
	for _, p := range []string{"123456", "password", "qwerty", "123456789012", "password1234", "1qaz2wsx3edc"} {
		if !listed(p) {
			t.Errorf("%q is not on the list", p)
		}
	}
	if listed("correct horse battery") || listed("") {
		t.Error("the search finds what is not there")
	}
}

// The messages state the limits the code applies.
func TestPasswordMessagesNameTheLimits(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range languages {
		for key, n := range map[string]int{"account.password.rules": minPassword, "err.password.short": minPassword,
			"err.password.personal": minPassword, "err.password.long": maxPassword} {
			if m := cats[l].T(key); !strings.Contains(m, strconv.Itoa(n)) {
				t.Errorf("%s %s does not say %d: %q", l, key, n, m)
			}
		}
	}
}

// The list is read on first use, not when the package starts: every
// eidbridge command links it (cmd/eidbridge TestInitAllocatesLittle).
func BenchmarkCommonPassword(b *testing.B) {
	commonList()
	b.ReportAllocs()
	for b.Loop() {
		passwordProblem("Correct-Horse-Battery-42", "marie.dubois", "marie@example.be", "Marie", "Dubois")
	}
}
