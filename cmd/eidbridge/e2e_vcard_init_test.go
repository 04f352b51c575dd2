package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVcardInitRejectsBadFlags needs no pcscd: each bad value must be
// refused with one clear line, before anything is written, and a PIN
// must never be echoed.
func TestVcardInitRejectsBadFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"national number check digits", []string{"--national-number", "79080226400"}, "check digits"},
		{"national number length", []string{"--national-number", "7908022643"}, "11 digits"},
		{"national number letters", []string{"--national-number", "7908022643X"}, "national number"},
		{"PIN with a letter", []string{"--pin", "12a4"}, "PIN"},
		{"PIN too short", []string{"--pin", "123"}, "PIN"},
		{"PIN too long", []string{"--pin", "1234567890123"}, "PIN"},
		{"applet", []string{"--applet", "1.9"}, "--applet"},
		{"sex against national number", []string{"--national-number", "79080226433", "--sex", "M"}, "sex"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "card")
			r := runBin(t, append([]string{"vcard", "init", dir}, c.args...)...)
			wantOneLineError(t, r, c.want)
			for i, a := range c.args {
				if i > 0 && c.args[i-1] == "--pin" && strings.Contains(r.stderr, a) {
					t.Errorf("the error repeats the PIN: %q", r.stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "card.json")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a profile was written despite the error (stat: %v)", err)
			}
		})
	}
}

// TestVcardInitUsage: a missing directory or an unknown flag is a usage
// error (exit 2) that shows how to call the command.
func TestVcardInitUsage(t *testing.T) {
	for _, args := range [][]string{
		{"vcard", "init"},
		{"vcard", "init", t.TempDir(), "--no-such-flag"},
		{"vcard", "init", "a", "b"},
	} {
		r := runBin(t, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "national-number") {
			t.Errorf("eidbridge %s: exit %d, want 2 with the flag list; stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}
