package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// The terminal dialogs, over any reader and writer: the terminal is in
// raw mode, so lines end in "\r\n" and the keys arrive one by one.

// Keys with a meaning in raw mode.
const (
	keyCtrlC     = 0x03
	keyCtrlD     = 0x04
	keyBackspace = 0x08
	keyEscape    = 0x1b
	keyDelete    = 0x7f
)

// maxLine bounds a typed line; what goes beyond is not kept.
const maxLine = 64

// errLineTooLong: more than maxLine bytes were typed.
var errLineTooLong = errors.New("the line is too long")

// converse shows q and reads the answer.
func converse(r io.Reader, w io.Writer, q Question) ([]byte, error) {
	text := strings.ReplaceAll(Text(q), "\n", "\r\n")
	fmt.Fprintf(w, "\r\n%s\r\n%s\r\n", Title(q), text)
	switch {
	case q.Kind == KindPIN && q.PINPad:
		return nil, waitForCancel(r, w, q.Lang)
	case q.Kind == KindPIN:
		return askPIN(r, w, q.Lang)
	case q.Kind == KindSite:
		return askSite(r, w, q.Lang)
	}
	return nil, askConsent(r, w, q)
}

// askSite reads "this time", "always" or no; the default is no.
func askSite(r io.Reader, w io.Writer, lang string) ([]byte, error) {
	fmt.Fprint(w, T(lang, "site.question")+" "+T(lang, "site.choices")+" ")
	line, err := readLine(r, w, true)
	if errors.Is(err, errLineTooLong) {
		return nil, cancelledBecause("the answer was not yes")
	}
	if err != nil {
		return nil, err
	}
	if a := siteAnswer(lang, string(line)); a != "" {
		return []byte(a), nil
	}
	return nil, cancelledBecause("the answer was not yes")
}

// askPIN reads a PIN without echo, and asks again, spending no card
// try, until it is 4 to 12 digits.
func askPIN(r io.Reader, w io.Writer, lang string) ([]byte, error) {
	for {
		fmt.Fprint(w, T(lang, "pin.prompt"))
		pin, err := readLine(r, w, false)
		if err != nil && !errors.Is(err, errLineTooLong) {
			return nil, err
		}
		if validPIN(pin) {
			return pin, nil
		}
		clear(pin)
		fmt.Fprint(w, T(lang, "pin.malformed")+"\r\n")
	}
}

// askConsent allows only on an explicit yes; the default is no.
func askConsent(r io.Reader, w io.Writer, q Question) error {
	lang := q.Lang
	fmt.Fprint(w, ConsentQuestion(q)+" "+T(lang, "consent.choices")+" ")
	line, err := readLine(r, w, true)
	if errors.Is(err, errLineTooLong) {
		return cancelledBecause("the answer was not yes")
	}
	if err != nil {
		return err
	}
	if consentAnswer(lang, string(line)) {
		return nil
	}
	return cancelledBecause("the answer was not yes")
}

// waitForCancel keeps the PINPad notice up: only Ctrl-C, Ctrl-D or
// Escape do anything (cancel); the caller ends it through ctx.
func waitForCancel(r io.Reader, w io.Writer, lang string) error {
	fmt.Fprint(w, T(lang, "pin.pad.cancel")+"\r\n")
	for {
		c, err := readKey(r, w)
		if err != nil {
			return err
		}
		if c == keyCtrlC || c == keyCtrlD || c == keyEscape {
			return ErrCancelled
		}
	}
}

// readLine reads keys up to Enter into a fixed buffer, wiped after use,
// and returns a fresh slice. Ctrl-C or Ctrl-D cancel; Backspace edits;
// other control keys are ignored. With echo off nothing typed is shown.
func readLine(r io.Reader, w io.Writer, echo bool) ([]byte, error) {
	var buf [maxLine]byte
	defer clear(buf[:])
	n, tooLong := 0, false
	for {
		c, err := readKey(r, w)
		if err != nil {
			return nil, err
		}
		switch {
		case c == '\r' || c == '\n':
			fmt.Fprint(w, "\r\n")
			if tooLong {
				return nil, errLineTooLong
			}
			line := make([]byte, n)
			copy(line, buf[:n])
			return line, nil
		case c == keyCtrlC || c == keyCtrlD:
			fmt.Fprint(w, "\r\n")
			return nil, ErrCancelled
		case c == keyBackspace || c == keyDelete:
			if n > 0 {
				n--
				buf[n] = 0
				if echo {
					fmt.Fprint(w, "\b \b")
				}
			}
		case c < 0x20:
		case n == len(buf):
			tooLong = true
		default:
			buf[n] = c
			n++
			if echo {
				w.Write([]byte{c})
			}
		}
	}
}

// readKey reads one byte. An ended read (the terminal closed, or ctx's
// end interrupted it) leaves the cursor on a fresh line.
func readKey(r io.Reader, w io.Writer) (byte, error) {
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			c := b[0]
			b[0] = 0
			return c, nil
		}
		if err != nil {
			fmt.Fprint(w, "\r\n")
			if errors.Is(err, io.EOF) {
				return 0, errors.New("terminal UI: the terminal was closed")
			}
			return 0, fmt.Errorf("terminal UI: reading the terminal: %w", err)
		}
	}
}
