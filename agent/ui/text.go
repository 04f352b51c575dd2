package ui

import (
	"encoding/hex"
	"strings"
	"unicode"
)

// The wording of every dialog lives here, so the native, terminal and
// exec UIs say the same thing, in the question's language (lang.go).
// Every text names the site that asks, because the citizen must see who
// they are dealing with.

// Title is the window title of a dialog: the program and the site.
func Title(q Question) string {
	return "eidbridge — " + clean(q.Origin)
}

// Text is the body of a dialog, one sentence a line: what the site asks
// and what it will receive, whose card it is, then for a PIN the tries
// left and where to type it. A holder the caller does not know yet is
// left out rather than guessed.
func Text(q Question) string {
	if q.Kind == KindSite {
		return T(q.Lang, "site.asks", clean(q.Origin)) + "\n" + T(q.Lang, "site.unknown")
	}
	first := PurposeText(q.Lang, q.Origin, q.Purpose)
	if q.Purpose == PurposeReadIdentity && len(q.Items) > 0 {
		first = ReadText(q.Lang, q.Origin, q.Items)
	}
	if q.Purpose == PurposeSign && q.Document != "" {
		first = T(q.Lang, "purpose.sign.named", clean(q.Origin), clean(q.Document))
	}
	lines := []string{first}
	if q.Purpose == PurposeAuthenticate && !q.Blocked {
		lines = append(lines, T(q.Lang, "purpose.authenticate.shares"))
		if q.SigningCertificate {
			lines = append(lines, T(q.Lang, "purpose.authenticate.sharesSigning"))
		}
	}
	if q.Purpose == PurposeSign && q.Fingerprint != "" {
		lines = append(lines, T(q.Lang, "sign.fingerprint", clean(q.Fingerprint)))
	}
	if q.Holder != "" {
		lines = append(lines, T(q.Lang, "holder", clean(q.Holder)))
	}
	if q.Blocked {
		lines = append(lines, T(q.Lang, "pin.blocked"))
	}
	if q.Kind == KindPIN {
		if t := TriesText(q.Lang, q.TriesLeft, q.WrongPIN); t != "" {
			lines = append(lines, t)
		}
		if q.PINPad {
			lines = append(lines, T(q.Lang, "pin.pad"))
		} else {
			lines = append(lines, T(q.Lang, "pin.entry"))
		}
	}
	return strings.Join(lines, "\n")
}

// ConsentQuestion ends a consent dialog: whether to go ahead, or, for a
// blocked card, whether the site may be told.
func ConsentQuestion(q Question) string {
	if q.Blocked {
		return T(q.Lang, "consent.blocked")
	}
	return T(q.Lang, "consent.question")
}

// Fingerprint is the first 8 bytes of a hash, in groups of four hex
// digits: enough to compare with what a site shows, short to read.
func Fingerprint(hash []byte) string {
	const n = 8
	if len(hash) > n {
		hash = hash[:n]
	}
	h := strings.ToUpper(hex.EncodeToString(hash))
	var groups []string
	for len(h) > 4 {
		groups, h = append(groups, h[:4]), h[4:]
	}
	return strings.Join(append(groups, h), " ")
}

// PurposeText says, with the site's origin (host and port as given),
// what the site wants to do with the card.
func PurposeText(lang, origin string, p Purpose) string {
	switch p {
	case PurposeAuthenticate, PurposeReadIdentity, PurposeGetSigningCertificate, PurposeSign:
		return T(lang, "purpose."+string(p), clean(origin))
	}
	return T(lang, "purpose.other", clean(origin))
}

// ReadText says what a readIdentity will read, item by item, in the
// order given ("identity", "address", "photo"; anything else is shown
// as it is, cleaned).
func ReadText(lang, origin string, items []string) string {
	words := make([]string, 0, len(items))
	for _, it := range items {
		words = append(words, itemText(lang, it))
	}
	return T(lang, "purpose.readIdentity.items", clean(origin), joinAnd(lang, words))
}

func itemText(lang, item string) string {
	switch item {
	case "identity", "address", "photo":
		return T(lang, "item."+item)
	}
	return clean(item)
}

// joinAnd joins words as a sentence lists them: "a", "a and b", "a, b and c".
func joinAnd(lang string, words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + T(lang, "list.and") + words[len(words)-1]
}

// TriesText tells how many PIN tries remain, and that the previous PIN
// was wrong when it was. The last try carries a warning, because a wrong
// PIN then blocks the card until the municipality unblocks it. A count
// below 1 means the caller does not know it (a blocked card is never
// asked for its PIN), so nothing is said rather than something false.
func TriesText(lang string, left int, wrong bool) string {
	var t string
	switch {
	case left < 1:
		if wrong {
			return T(lang, "pin.wrong")
		}
		return ""
	case left == 1:
		t = T(lang, "tries.last")
	default:
		t = T(lang, "tries.many", left)
	}
	if wrong {
		t = T(lang, "pin.wrong") + " " + t
	}
	if left == 1 {
		t = "⚠ " + t // zenity's entry takes no icon: the warning is in the text
	}
	return t
}

// consentAnswer: the answer typed in the terminal means yes in lang.
func consentAnswer(lang, answer string) bool {
	return oneOf(answer, T(lang, "consent.answers"))
}

// siteAnswer is the answer typed in the terminal to a site question:
// AnswerOnce, AnswerAlways, or "" for no.
func siteAnswer(lang, answer string) string {
	switch {
	case oneOf(answer, T(lang, "site.answers.once")):
		return AnswerOnce
	case oneOf(answer, T(lang, "site.answers.always")):
		return AnswerAlways
	}
	return ""
}

// oneOf: answer, trimmed and in lower case, is one of the words.
func oneOf(answer, words string) bool {
	a := strings.ToLower(strings.TrimSpace(answer))
	for _, w := range strings.Fields(words) {
		if a == w {
			return true
		}
	}
	return false
}

// clean replaces control and format characters (newlines, escape
// sequences, right-to-left overrides, invalid UTF-8) in text that comes
// from outside, so an origin or a name on a card cannot add lines to a
// dialog, reorder what it shows, or drive the terminal.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar {
			return '?'
		}
		return r
	}, s)
}
