package portal

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The rules for a new password follow NIST SP 800-63B and OWASP ASVS
// level 2 (2.1): a length, counted in characters, and no password that
// attackers try first. There are no composition rules (a digit, a
// capital): they make passwords harder to remember, not to guess. The
// check is offline and costs nothing until the first account form: every
// eidbridge command links this package.

const (
	minPassword = 12
	// maxPassword bounds the work per request (argon2 takes any length);
	// 256 characters are at most 1 KiB.
	maxPassword = 256
	// maxDecoration is how many digits or symbols in a row attackers
	// commonly add to a word ("2024", "!!"); longer runs count only when
	// they are predictable themselves ("123456789").
	maxDecoration = 4
	// minPart is the shortest name, username or e-mail part that counts
	// as personal.
	minPart = 3
)

// commonText is passwords/common.txt: the passwords attackers try first,
// lowercase, sorted, one a line (see passwords/README.md).
//
//go:embed passwords/common.txt
var commonText string

// commonList is commonText as a slice to search, made on first use.
var commonList = sync.OnceValue(func() []string {
	l := strings.Split(strings.TrimSuffix(commonText, "\n"), "\n")
	if !slices.IsSorted(l) { // the generator sorts; a hand edit must not break the search
		slices.Sort(l)
	}
	return l
})

func listed(s string) bool {
	_, ok := slices.BinarySearch(commonList(), s)
	return ok
}

// passwordProblem returns the message key of what is wrong with a new
// password, or "". personal are what an attacker who targets this
// citizen knows: username, e-mail addresses, names.
func passwordProblem(pw string, personal ...string) string {
	if !utf8.ValidString(pw) {
		return "err.password.invalid"
	}
	switch n := utf8.RuneCountInString(pw); {
	case n < minPassword:
		return "err.password.short"
	case n > maxPassword:
		return "err.password.long"
	}
	if commonPassword(pw) {
		return "err.password.common"
	}
	if rest := withoutPersonal(pw, personalParts(personal...)); rest != strings.ToLower(pw) &&
		(utf8.RuneCountInString(rest) < minPassword || commonPassword(rest)) {
		return "err.password.personal"
	}
	return ""
}

// commonPassword reports whether pw, in any case, is one attackers try
// first: on the list, with letters written as digits or symbols
// ("p@ssw0rd"), predictable (a run along the keyboard or the alphabet, a
// repeated part), or a listed or predictable word with a few digits or
// symbols before or after it ("Password1234", "Summer2024!").
func commonPassword(pw string) bool {
	s := strings.ToLower(pw)
	if listed(s) || slices.ContainsFunc(unleet(s), listed) || predictable(s) {
		return true
	}
	pre, core, suf := decoration(s)
	if core == "" || core == s {
		return false
	}
	word := listed(core) || slices.ContainsFunc(unleet(core), listed) || predictable(core)
	return word && plain(pre) && plain(suf)
}

// decoration splits s into the digits and symbols before its first
// letter, the part from the first to the last letter, and what follows.
func decoration(s string) (pre, core, suf string) {
	i := strings.IndexFunc(s, unicode.IsLetter)
	if i < 0 {
		return s, "", ""
	}
	j := strings.LastIndexFunc(s, unicode.IsLetter)
	_, size := utf8.DecodeRuneInString(s[j:])
	return s[:i], s[i : j+size], s[j+size:]
}

// plain reports whether digits and symbols around a word are what
// attackers add: runs of digits and of other characters, each short or
// predictable.
func plain(s string) bool {
	for len(s) > 0 {
		digit := s[0] >= '0' && s[0] <= '9'
		n := strings.IndexFunc(s, func(r rune) bool { return (r >= '0' && r <= '9') != digit })
		if n < 0 {
			n = len(s)
		}
		if run := s[:n]; utf8.RuneCountInString(run) > maxDecoration && !predictable(run) {
			return false
		}
		s = s[n:]
	}
	return true
}

// rows are runs attackers walk along, either way and round the end:
// the alphabet, digits, and the keys of QWERTY and of AZERTY, Belgium's
// keyboard, row after row (with AZERTY's unshifted digit row).
var rows = [...]string{
	"abcdefghijklmnopqrstuvwxyz", "0123456789", "!@#$%^&*()", `&é"'(§è!çà`,
	"qwertyuiopasdfghjklzxcvbnm", "azertyuiopqsdfghjklmwxcvbn",
}

// predictable reports whether s (lowercase) is one character, a run
// along a row ("abcd", "4321", "7890123", "qwerty"), or a shorter part
// repeated ("abcabc", "passwordpassword"), which is worth no more than
// the part.
func predictable(s string) bool {
	r := []rune(s)
	if len(r) <= 1 {
		return true
	}
	if unit := repeatedUnit(r); unit != nil {
		return len(unit) < minPassword || commonPassword(string(unit))
	}
	rev := make([]rune, len(r))
	for i, c := range r {
		rev[len(r)-1-i] = c
	}
	for _, row := range rows {
		ring := strings.Repeat(row, len(r)/utf8.RuneCountInString(row)+2)
		if strings.Contains(ring, s) || strings.Contains(ring, string(rev)) {
			return true
		}
	}
	return false
}

// repeatedUnit returns the shortest u such that r is u repeated at least
// twice, or nil.
func repeatedUnit(r []rune) []rune {
	for d := 1; d <= len(r)/2; d++ {
		if len(r)%d == 0 && slices.Equal(r[d:], r[:len(r)-d]) {
			return r[:d]
		}
	}
	return nil
}

// leet reads digits and symbols as the letters they stand for; '1' for
// 'i' here, for 'l' in unleet.
var leet = sync.OnceValue(func() *strings.Replacer {
	return strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "8", "b", "@", "a", "$", "s", "!", "i")
})

// unleet returns s with its digits and symbols read as letters, both
// ways for '1', or nothing when s has none.
func unleet(s string) []string {
	if !strings.ContainsAny(s, "0134578@$!") {
		return nil
	}
	i := leet().Replace(s)
	if !strings.Contains(s, "1") {
		return []string{i}
	}
	return []string{i, leet().Replace(strings.ReplaceAll(s, "1", "l"))}
}

// personalParts are the strings an attacker who knows the citizen tries:
// each of personal lowercased (of an e-mail address, the whole and the
// part before the @), that without spaces and punctuation, and each word
// in it; at least minPart characters, longest first.
func personalParts(personal ...string) []string {
	var parts []string
	add := func(p string) {
		if utf8.RuneCountInString(p) >= minPart && !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	for _, s := range personal {
		s = strings.ToLower(strings.TrimSpace(s))
		add(s)
		if local, _, ok := strings.Cut(s, "@"); ok {
			s = local // the domain is the provider's, not the citizen's
		}
		words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		add(s)
		add(strings.Join(words, ""))
		for _, w := range words {
			add(w)
		}
	}
	slices.SortStableFunc(parts, func(a, b string) int { return len(b) - len(a) })
	return parts
}

// withoutPersonal returns pw lowercased without every occurrence of the
// parts, also where pw writes letters as digits or symbols; of the
// readings, the shortest rest.
func withoutPersonal(pw string, parts []string) string {
	s := strings.ToLower(pw)
	rest := s
	for _, form := range append([]string{s}, unleet(s)...) {
		for _, p := range parts {
			form = strings.ReplaceAll(form, p, "")
		}
		if len(form) < len(rest) {
			rest = form
		}
	}
	return rest
}
