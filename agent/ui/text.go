package ui

import (
	"fmt"
	"strings"
	"unicode"
)

// The wording of every dialog lives here, so the native, terminal and
// exec UIs say the same thing. Plain English; every text names the site
// that asks, because the citizen must see who they are dealing with.

// Title is the window title of a dialog: the program and the site.
func Title(q Question) string {
	return "eidbridge — " + clean(q.Origin)
}

// Text is the body of a dialog, one sentence a line: what the site asks,
// whose card it is, then for a PIN the tries left and where to type it.
// A holder the caller does not know yet is left out rather than guessed.
func Text(q Question) string {
	first := PurposeText(q.Origin, q.Purpose)
	if q.Purpose == PurposeReadIdentity && len(q.Items) > 0 {
		first = ReadText(q.Origin, q.Items)
	}
	lines := []string{first}
	if q.Holder != "" {
		lines = append(lines, "Card holder: "+clean(q.Holder)+".")
	}
	if q.Kind == KindPIN {
		if t := TriesText(q.TriesLeft, q.WrongPIN); t != "" {
			lines = append(lines, t)
		}
		if q.PINPad {
			lines = append(lines, pinPadText)
		} else {
			lines = append(lines, pinEntryText)
		}
	}
	return strings.Join(lines, "\n")
}

const (
	pinPadText      = "Type your PIN on the card reader's keypad."
	pinEntryText    = "Type your PIN (4 to 12 digits)."
	pinMalformed    = "A PIN is 4 to 12 digits; nothing was sent to the card. Please type it again."
	consentQuestion = "Do you allow this?"
)

// PurposeText says, with the site's origin (host and port as given),
// what the site wants to do with the card.
func PurposeText(origin string, p Purpose) string {
	o := clean(origin)
	switch p {
	case PurposeAuthenticate:
		return o + " asks you to log in with your eID."
	case PurposeReadIdentity: // without Items (see ReadText): the most it can read
		return o + " asks to read your name, address and photo."
	case PurposeGetSigningCertificate:
		return o + " asks for your signing certificate (it shows your name)."
	case PurposeSign:
		return o + " asks you to sign a document."
	}
	return o + " asks to use your eID card."
}

// ReadText says what a readIdentity will read, item by item, in the
// order given ("identity", "address", "photo"; anything else is shown
// as it is, cleaned).
func ReadText(origin string, items []string) string {
	words := make([]string, 0, len(items))
	for _, it := range items {
		words = append(words, itemText(it))
	}
	return clean(origin) + " asks to read your " + joinAnd(words) + "."
}

func itemText(item string) string {
	switch item {
	case "identity":
		return "identity data (name, national register number, date and place of birth, nationality)"
	case "address":
		return "address"
	case "photo":
		return "photo"
	}
	return clean(item)
}

// joinAnd joins words as a sentence lists them: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// TriesText tells how many PIN tries remain, and that the previous PIN
// was wrong when it was. The last try carries a warning, because a wrong
// PIN then blocks the card until the municipality unblocks it. A count
// below 1 means the caller does not know it (a blocked card is never
// asked for its PIN), so nothing is said rather than something false.
func TriesText(left int, wrong bool) string {
	var t string
	switch {
	case left < 1:
		if wrong {
			return "Wrong PIN."
		}
		return ""
	case left == 1:
		t = "1 try left: a wrong PIN blocks the card."
	default:
		t = fmt.Sprintf("%d tries left.", left)
	}
	if wrong {
		return "Wrong PIN. " + t
	}
	return t
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
