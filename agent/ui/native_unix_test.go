//go:build unix && !darwin

package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeZenity puts a stand-in for the dialog program (under each name
// zenity looks for) alone on PATH, in a graphical session. It records
// its arguments, one a line, in $D/args.N (N counts the dialogs) and
// then runs body with the test's original PATH.
func fakeZenity(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	text := "#!/bin/sh\nD=" + dir + "\nPATH='" + os.Getenv("PATH") + "'\n" +
		"n=0; while [ -e \"$D/args.$n\" ]; do n=$((n+1)); done\n" +
		"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$D/args.$n\"\n" + body + "\n"
	for _, name := range dialogPrograms {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
	t.Setenv("DISPLAY", ":99")
	return dir
}

func args(t *testing.T, dir string, n int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "args."+strconv.Itoa(n)))
	if err != nil {
		t.Fatalf("dialog %d never ran: %v", n, err)
	}
	return string(b)
}

func TestNativeZenityPIN(t *testing.T) {
	dir := fakeZenity(t, `if [ "$n" = 0 ]; then echo 12ab; else echo 4321; fi`)
	n, err := NewNative()
	if err != nil {
		t.Fatalf("NewNative: %v", err)
	}
	pin, err := n.Ask(context.Background(), pinQ)
	if err != nil || string(pin) != "4321" {
		t.Fatalf("Ask = %q, %v; want 4321 after one malformed PIN", pin, err)
	}
	first, second := args(t, dir, 0), args(t, dir, 1)
	for _, want := range []string{"--entry\n", "--hide-text\n", "--title\n" + Title(pinQ) + "\n", wrap(Text(pinQ), entryWidth)} {
		if !strings.Contains(first, want) {
			t.Errorf("arguments lack %q:\n%s", want, first)
		}
	}
	if !strings.Contains(second, wrap(T("", "pin.malformed"), entryWidth)) {
		t.Errorf("the second dialog does not say the PIN was malformed:\n%s", second)
	}
}

func TestNativeZenityOutcomes(t *testing.T) {
	tests := []struct {
		name, body string
		q          Question
		want       error
		arg        string
	}{
		{"allowed", `exit 0`, consentQ, nil, "--default-cancel"},
		{"refused", `exit 1`, consentQ, ErrCancelled, "Refuse"},
		{"pin cancelled", `exit 1`, pinQ, ErrCancelled, "--entry"},
		{"notice button", `exit 0`, noticeQ, ErrCancelled, "--info"},
		{"blocked card", `exit 1`, Question{Kind: KindConsent, Origin: "a.be", Blocked: true}, ErrCancelled, "--icon-name=dialog-warning"},
		{"pin in Dutch", `exit 1`, Question{Kind: KindPIN, Origin: "a.be", Lang: "nl"}, ErrCancelled, "--cancel-label\nAnnuleren\n"},
		{"notice past deadline", `exec sleep 60`, noticeQ, ErrTimeout, "--info"},
		{"pin past deadline", `exec sleep 60`, pinQ, ErrTimeout, "--entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := fakeZenity(t, tt.body)
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			pin, err := (&Native{}).Ask(ctx, tt.q)
			if pin != nil || err != tt.want {
				t.Fatalf("Ask = %q, %v; want %v", pin, err, tt.want)
			}
			if a := args(t, dir, 0); !strings.Contains(a, tt.arg) {
				t.Errorf("arguments lack %q:\n%s", tt.arg, a)
			}
		})
	}
}

func TestNativeZenityFails(t *testing.T) {
	fakeZenity(t, `echo 'Gtk-WARNING: cannot open display' >&2; exit 255`)
	_, err := (&Native{}).Ask(context.Background(), consentQ)
	if err == nil || errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "cannot open display") {
		t.Errorf("Ask = %v; want the dialog program's failure, not a cancel", err)
	}
}

// Without a dialog program or a display, the native UI says what to do
// at once instead of failing later or hanging.
func TestNativeUnavailable(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("DISPLAY", ":99")
	if _, err := New("native"); err == nil || !strings.Contains(err.Error(), "apt install zenity") {
		t.Errorf("New(native) without zenity: %v; want the install hint", err)
	}
	if _, err := (&Native{}).Ask(context.Background(), consentQ); err == nil || !strings.Contains(err.Error(), "install the zenity package") {
		t.Errorf("Ask without zenity: %v; want the install hint", err)
	}
	fakeZenity(t, `exit 0`)
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if _, err := New("native"); err == nil || !strings.Contains(err.Error(), "no graphical session") {
		t.Errorf("New(native) without a display: %v", err)
	}
	t.Setenv("WAYLAND_DISPLAY", "wayland-0")
	if _, err := New("native"); err != nil {
		t.Errorf("New(native) on Wayland: %v", err)
	}
}

// The PIN dialog's answer is read by the package itself: an answer too
// long for any PIN (here a flood of digits) is malformed and asked again,
// without a newline it still counts, and a failing program is an error
// with its message, not a cancel.
func TestNativePINEntryEdges(t *testing.T) {
	dir := fakeZenity(t, `case $n in
0) yes 1234567890 | head -c 100000 ;;
1) printf 5678 ;;
*) echo 'Gtk-WARNING: cannot open display' >&2; exit 255 ;;
esac`)
	pin, err := (&Native{}).Ask(context.Background(), pinQ)
	if err != nil || string(pin) != "5678" {
		t.Fatalf("Ask = %q, %v; want 5678 after an over-long answer", pin, err)
	}
	if !strings.Contains(args(t, dir, 1), wrap(T("", "pin.malformed"), entryWidth)) {
		t.Error("the over-long answer was not reported as malformed")
	}
	_, err = (&Native{}).Ask(context.Background(), pinQ)
	if err == nil || errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "cannot open display") {
		t.Errorf("Ask with a failing dialog program = %v", err)
	}
}

// zenity reads "_x" in the text as a keyboard shortcut; the dialog must
// show the underscore itself.
func TestNativePINEntryQuotesUnderscores(t *testing.T) {
	dir := fakeZenity(t, `echo 1234`)
	q := pinQ
	q.Origin = "https://my_site.be"
	if _, err := (&Native{}).Ask(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if a := args(t, dir, 0); !strings.Contains(a, "my__site.be") {
		t.Errorf("the underscore is not doubled:\n%s", a)
	}
}

// A dialog program whose child keeps its output open does not hold the
// agent past the deadline.
func TestNativePINEntryChildHoldsOutput(t *testing.T) {
	fakeZenity(t, `sleep 5 & wait`)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := (&Native{}).Ask(ctx, pinQ)
	if err != ErrTimeout || time.Since(start) > 2*time.Second {
		t.Errorf("Ask = %v after %v; want ErrTimeout soon after the 200 ms deadline", err, time.Since(start))
	}
}

// The entry dialog does not wrap its text: the package does, at spaces,
// keeping every word and line break.
func TestWrap(t *testing.T) {
	text := T("fr", "tries.last") + "\n" + strings.Repeat("x", 80) + " y"
	got := wrap(text, 30)
	for _, line := range strings.Split(got, "\n") {
		if len([]rune(line)) > 30 && strings.Contains(line, " ") {
			t.Errorf("line longer than 30: %q", line)
		}
	}
	if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(text), " ") {
		t.Errorf("wrap changed the words:\n%s", got)
	}
	if wrap("a b\n\nc", 30) != "a b\n\nc" {
		t.Errorf("wrap changed short lines: %q", wrap("a b\n\nc", 30))
	}
}
