package ui

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// A question asked with no port or tries in it, so digits in the output
// can only be an echoed PIN.
var termPINQ = Question{Kind: KindPIN, Origin: "bank.example", Purpose: PurposeAuthenticate, Holder: "Alice Test", TriesLeft: 3}

func TestTerminalPIN(t *testing.T) {
	tests := []struct {
		name, typed, want string
		malformed         int // times the citizen is told the PIN is malformed
	}{
		{"enter", "5678\r", "5678", 0},
		{"newline", "5678\n", "5678", 0},
		{"backspace", "56789\x7f\r", "5678", 0},
		{"ctrl-h", "5x\b678\r", "5678", 0},
		{"control keys ignored", "56\x1b78\r", "5678", 0},
		{"too short, again", "567\r5678\r", "5678", 1},
		{"empty, letters, again", "\r56a8\r5678\r", "5678", 2},
		{"far too long, again", strings.Repeat("5", 200) + "\r5678\r", "5678", 1},
		{"12 digits", "567856785678\r", "567856785678", 0},
	}
	for _, tt := range tests {
		out := &bytes.Buffer{}
		pin, err := converse(strings.NewReader(tt.typed), out, termPINQ)
		if err != nil || string(pin) != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, pin, err, tt.want)
		}
		if n := strings.Count(out.String(), T("", "pin.malformed")); n != tt.malformed {
			t.Errorf("%s: told malformed %d times, want %d", tt.name, n, tt.malformed)
		}
		if strings.ContainsAny(out.String(), "5678") {
			t.Errorf("%s: the PIN was echoed: %q", tt.name, out)
		}
		for _, s := range []string{"eidbridge — bank.example", Text(termPINQ)[:30], "3 tries left.", "Ctrl-C"} {
			if !strings.Contains(out.String(), s) {
				t.Errorf("%s: the terminal did not show %q: %q", tt.name, s, out)
			}
		}
	}
}

func TestTerminalPINCancelAndEOF(t *testing.T) {
	tests := []struct {
		typed string
		want  error
	}{
		{"56\x03", ErrCancelled},
		{"\x04", ErrCancelled},
		{"123\r\x03", ErrCancelled},
	}
	for _, tt := range tests {
		pin, err := converse(strings.NewReader(tt.typed), io.Discard, termPINQ)
		if pin != nil || !errors.Is(err, tt.want) {
			t.Errorf("%q: %q, %v; want %v", tt.typed, pin, err, tt.want)
		}
	}
	pin, err := converse(strings.NewReader("5678"), io.Discard, termPINQ)
	if pin != nil || err == nil || errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "closed") {
		t.Errorf("EOF mid-PIN: %q, %v; want a closed-terminal error", pin, err)
	}
}

func TestTerminalConsent(t *testing.T) {
	tests := []struct {
		typed string
		allow bool
	}{
		{"y\r", true},
		{"Y\r", true},
		{" yes \r", true},
		{"n\r", false},
		{"\r", false},
		{"yess\r", false},
		{"nx\x7f\x7fy\r", true},
		{strings.Repeat("y", 100) + "\r", false},
		{"\x03", false},
	}
	q := Question{Kind: KindConsent, Origin: "bank.example", Purpose: PurposeReadIdentity, Holder: "Alice Test"}
	for _, tt := range tests {
		out := &bytes.Buffer{}
		pin, err := converse(strings.NewReader(tt.typed), out, q)
		if pin != nil || (err == nil) != tt.allow || (err != nil && !errors.Is(err, ErrCancelled)) {
			t.Errorf("%q: %q, %v; want allowed %v", tt.typed, pin, err, tt.allow)
		}
		if !strings.Contains(out.String(), "asks to read your name, address and photo.") ||
			!strings.Contains(out.String(), "[y/N]") {
			t.Errorf("%q: question not shown: %q", tt.typed, out)
		}
	}
	out := &bytes.Buffer{}
	converse(strings.NewReader("ye\x7fs\r"), out, q)
	if !strings.HasSuffix(out.String(), "[y/N] ye\b \bs\r\n") {
		t.Errorf("consent is not echoed with its editing: %q", out)
	}
}

func TestTerminalPINPadNotice(t *testing.T) {
	q := Question{Kind: KindPIN, Origin: "bank.example", Purpose: PurposeSign, TriesLeft: 1, PINPad: true}
	for _, typed := range []string{"\x03", "12\r\x1b", "\x04"} {
		out := &bytes.Buffer{}
		pin, err := converse(strings.NewReader(typed), out, q)
		if pin != nil || err != ErrCancelled {
			t.Errorf("%q: %q, %v; want ErrCancelled", typed, pin, err)
		}
		for _, s := range []string{T("", "pin.pad"), "Careful, this is your last try", "Ctrl-C to cancel"} {
			if !strings.Contains(out.String(), s) {
				t.Errorf("%q: notice lacks %q: %q", typed, s, out)
			}
		}
	}
	if _, err := converse(strings.NewReader("1234\r"), io.Discard, q); err == nil || errors.Is(err, ErrCancelled) {
		t.Errorf("typing on the computer ends the notice: %v; want it to wait (closed terminal error here)", err)
	}
}
