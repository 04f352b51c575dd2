package portal

import (
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/eidbridge/eidbridge/eid"
)

const maxText = 100

// The patterns are compiled on first use: every eidbridge command links
// this package, and only the portal uses them.
var usernameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,31}$`) })

// normUsername: usernames are case-insensitive.
func normUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// accountForm is what a citizen chooses; check returns the message key of
// the first problem, or "".
type accountForm struct {
	Username, Password, Password2, Email string
	// Personal is what else an attacker who targets this citizen knows
	// (given names, surname, an e-mail address on file): the password may
	// not be made of it, nor of the username or Email (see pwrules.go).
	Personal []string
}

func (f *accountForm) check(needEmail bool) string {
	f.Username = normUsername(f.Username)
	if !usernameRE().MatchString(f.Username) {
		return "err.username"
	}
	if key := passwordProblem(f.Password, append([]string{f.Username, f.Email}, f.Personal...)...); key != "" {
		return key
	}
	switch {
	case f.Password != f.Password2:
		return "err.password.mismatch"
	case needEmail && !validEmail(f.Email):
		return "err.email"
	}
	return ""
}

// validEmail accepts one bare address (no display name), as typed.
func validEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, "\r\n<>\" ") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// validText: a name or address line, printable, not too long.
func validText(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > maxText || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

var zipRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[1-9][0-9]{3}$`) })

// counterForm is what the officer registers.
type counterForm struct {
	NN, Surname, Given, Street, Zip, Municipality, Email, Lang string
}

func (f *counterForm) check() string {
	f.NN = strings.NewReplacer(".", "", "-", "", " ", "").Replace(f.NN) // as printed: 85.03.14-865.36
	if _, err := eid.ParseNationalNumber(f.NN); err != nil {
		return "err.nn"
	}
	for _, s := range []*string{&f.Surname, &f.Given, &f.Street, &f.Municipality} {
		*s = strings.TrimSpace(*s)
	}
	switch {
	case !validText(f.Surname) || !validText(f.Given):
		return "err.name"
	case !validText(f.Street) || !validText(f.Municipality) || !zipRE().MatchString(f.Zip):
		return "err.address"
	case !validEmail(f.Email):
		return "err.email"
	case !knownLang(f.Lang):
		f.Lang = languages[0]
	}
	return ""
}
