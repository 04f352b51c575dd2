package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

// pinPipe returns a pinSource reading from a real file descriptor (the
// read end of a pipe holding input), as --pin-fd N does.
func pinPipe(t *testing.T, input string) (*pinSource, *bytes.Buffer) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if _, err := w.WriteString(input); err != nil {
		t.Fatal(err)
	}
	w.Close()
	src, err := newPINSource(int(r.Fd()))
	if err != nil {
		t.Fatalf("newPINSource: %v", err)
	}
	out := &bytes.Buffer{}
	src.out = out
	src.terminal = func(string) ([]byte, error) { return nil, errors.New("terminal must not be used with --pin-fd") }
	return src, out
}

func TestPINFromFD(t *testing.T) {
	tests := []struct{ input, want string }{
		{"1234\n", "1234"},
		{"123456789012\r\n", "123456789012"},
		{"98765", "98765"}, // last line without a newline
		{"0000\nrest", "0000"},
	}
	for _, tt := range tests {
		src, _ := pinPipe(t, tt.input)
		pin, err := src.prompt(eid.PINRequest{Purpose: eid.PurposeVerify, TriesLeft: 3})
		if err != nil || string(pin) != tt.want {
			t.Errorf("input %q: PIN %q, %v; want %q", tt.input, pin, err, tt.want)
		}
	}
}

func TestPINFromFDChangeReadsTwoLines(t *testing.T) {
	src, _ := pinPipe(t, "1234\n5678\n")
	old, err1 := src.prompt(eid.PINRequest{Purpose: eid.PurposeChangeOld, TriesLeft: 3})
	pin, err2 := src.prompt(eid.PINRequest{Purpose: eid.PurposeChangeNew})
	if err1 != nil || err2 != nil || string(old) != "1234" || string(pin) != "5678" {
		t.Errorf("old %q (%v), new %q (%v); want 1234 and 5678 read once each", old, err1, pin, err2)
	}
	if _, err := src.prompt(eid.PINRequest{Purpose: eid.PurposeVerify}); err == nil || !strings.Contains(err.Error(), "end of input") {
		t.Errorf("third PIN from exhausted input: %v, want end of input", err)
	}
}

func TestPINFromFDRefusals(t *testing.T) {
	tests := map[string]string{
		"12a4\n":                       "only the digits",
		"12 34\n":                      "only the digits",
		"-1234\n":                      "only the digits",
		"\n":                           "",
		"":                             "end of input",
		strings.Repeat("1", 65):        "too long",
		strings.Repeat("7", 80) + "\n": "too long",
	}
	for input, want := range tests {
		src, _ := pinPipe(t, input)
		pin, err := src.prompt(eid.PINRequest{Purpose: eid.PurposeVerify})
		if input == "\n" {
			// An empty line is an empty PIN: eid refuses it (ErrPINFormat).
			if err != nil || len(pin) != 0 {
				t.Errorf("empty line: %q, %v", pin, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("input %q: %v, want an error about %q", input, err, want)
			continue
		}
		if in := strings.TrimSpace(input); in != "" && strings.Contains(err.Error(), in) {
			t.Errorf("error %q repeats the input", err)
		}
	}
}

func TestPINSourceBadFD(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	fd := int(r.Fd())
	r.Close()
	if _, err := newPINSource(fd); err == nil || !strings.Contains(err.Error(), fmt.Sprint(fd)) {
		t.Errorf("closed fd %d: %v, want an error naming it", fd, err)
	}
}

// On the terminal the new PIN is asked twice and must match.
func TestPINFromTerminalConfirmsNewPIN(t *testing.T) {
	for _, tt := range []struct {
		typed   []string
		want    string
		wantErr string
	}{
		{[]string{"2468", "2468"}, "2468", ""},
		{[]string{"2468", "2469"}, "", "differ"},
		{[]string{"24x8"}, "", "only the digits"},
	} {
		var questions []string
		src := &pinSource{out: &bytes.Buffer{}, terminal: func(q string) ([]byte, error) {
			questions = append(questions, q)
			return []byte(tt.typed[len(questions)-1]), nil
		}}
		pin, err := src.prompt(eid.PINRequest{Purpose: eid.PurposeChangeNew})
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("typed %v: %v, want error %q", tt.typed, err, tt.wantErr)
			}
			continue
		}
		if err != nil || string(pin) != tt.want || len(questions) != 2 {
			t.Errorf("typed %v: %q, %v after %d questions", tt.typed, pin, err, len(questions))
		}
	}
}

func TestPINPadNoticeReadsNothing(t *testing.T) {
	src, out := pinPipe(t, "1234\n")
	pin, err := src.prompt(eid.PINRequest{Purpose: eid.PurposeSign, Role: eid.KeySign, TriesLeft: 2, PINPad: true})
	if pin != nil || err != nil {
		t.Errorf("keypad request returned %q, %v; want nothing", pin, err)
	}
	if !strings.Contains(out.String(), "keypad") || !strings.Contains(out.String(), "2 tries left") {
		t.Errorf("keypad notice %q", out.String())
	}
	if pin, _ := src.prompt(eid.PINRequest{Purpose: eid.PurposeVerify}); string(pin) != "1234" {
		t.Error("the keypad notice consumed the PIN input")
	}
}

func TestPINMessage(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&eid.WrongPINError{TriesLeft: 2}, "Wrong PIN: 2 tries left"},
		{fmt.Errorf("ctx: %w", &eid.WrongPINError{TriesLeft: 1}), "Wrong PIN: 1 try left"},
		{&eid.WrongPINError{TriesLeft: 0}, "The PIN is blocked: "},
		{eid.ErrPINBlocked, "The PIN is blocked: "},
		{fmt.Errorf("new PIN: %w", eid.ErrPINFormat), "The PIN must be 4 to 12 digits"},
		{eid.ErrPINPadCancelled, "cancelled on the reader"},
	}
	for _, tt := range tests {
		if got := pinMessage(tt.err).Error(); !strings.HasPrefix(got, tt.want) && !strings.Contains(got, tt.want) {
			t.Errorf("pinMessage(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	other := errors.New("reader gone")
	if pinMessage(other) != other {
		t.Error("pinMessage changed an unrelated error")
	}
}
