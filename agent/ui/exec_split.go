package ui

import (
	"fmt"
	"strings"
	"unicode"
)

// splitCommand splits the COMMAND of exec:COMMAND into words the way a
// shell does in simple cases, without running a shell: words are
// separated by blanks, and '…' or "…" keep blanks (and the other quote)
// inside a word. There are no escapes, variables, globs, pipes or
// redirections.
//
// Chosen over /bin/sh -c and cmd /c because nothing in the value is
// reinterpreted: it means the same on every system, a Windows path
// (C:\Tools\pin.exe) needs no doubled backslashes, and cmd's quoting
// rules play no part. Who needs a shell names it:
// exec:/bin/sh -c 'my-dialog | tee /tmp/log'.
func splitCommand(s string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c quote in %q", quote, s)
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}
