package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCardPINCommands drives `card pin` on both applets: a wrong PIN is
// reported with the tries left, a change takes effect (the old PIN is
// then wrong, the new one verifies and signs), and status reads the
// counter without spending a try.
func TestCardPINCommands(t *testing.T) {
	needPCSC(t)
	for _, applet := range []string{"1.7", "1.8"} {
		t.Run(applet, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "card")
			mustRun(t, "vcard", "init", dir, "--applet", applet)
			startVcard(t, dir, applet)
			pin := func(pins string, args ...string) result {
				return runWithPINs(t, pins, append(append([]string{"card", "pin"}, args...), "--reader", e2eReader, "--pin-fd", "3")...)
			}
			wantOneLineError(t, pin("0000\n", "verify"), "Wrong PIN: 2 tries left")
			if out := mustRun(t, "card", "pin", "status", "--reader", e2eReader); !strings.Contains(out, "PIN: 2 tries left.") {
				t.Errorf("status after a wrong PIN: %q", out)
			}
			if r := pin("1234\n24680\n", "change"); r.code != 0 || !strings.Contains(r.stdout, "PIN changed.") {
				t.Fatalf("card pin change: exit %d: %s%s", r.code, r.stdout, r.stderr)
			}
			wantOneLineError(t, pin("1234\n", "verify"), "Wrong PIN: 2 tries left")
			if r := pin("24680\n", "verify"); r.code != 0 || !strings.Contains(r.stdout, "PIN correct.") {
				t.Errorf("verify with the new PIN: exit %d: %s%s", r.code, r.stdout, r.stderr)
			}
			msg := writeTemp(t, "msg", "signed with the new PIN\n")
			r := runWithPINs(t, "24680\n", "card", "sign", "--key", "sign", "--reader", e2eReader, "--pin-fd", "3", msg)
			if r.code != 0 {
				t.Errorf("sign with the new PIN: exit %d: %s", r.code, r.stderr)
			}
			if out := mustRun(t, "card", "pin", "status", "--reader", e2eReader); !strings.Contains(out, "3 tries left") {
				t.Errorf("status at the end: %q, want 3 tries left", out)
			}
		})
	}
}

// TestBlockedCardEveryPath blocks the PIN with three wrong ones, then
// expects every PIN path of the command line to say "blocked" without
// sending a VERIFY that carries a PIN, as the card's own trace shows. The
// counter survives a `vcard run` restart until `vcard unblock`.
func TestBlockedCardEveryPath(t *testing.T) {
	needPCSC(t)
	dir := filepath.Join(t.TempDir(), "card")
	trace := filepath.Join(t.TempDir(), "apdu.trace")
	mustRun(t, "vcard", "init", dir, "--applet", "1.8")
	vc := startVcard(t, dir, "1.8", "--trace", trace)
	withPIN := func(pins string, args ...string) result {
		return runWithPINs(t, pins, append(args, "--reader", e2eReader, "--pin-fd", "3")...)
	}
	for _, want := range []string{"Wrong PIN: 2 tries left", "Wrong PIN: 1 try left", "The PIN is blocked"} {
		wantOneLineError(t, withPIN("0000\n", "card", "pin", "verify"), want)
	}
	if err := os.Truncate(trace, 0); err != nil {
		t.Fatal(err)
	}
	msg := writeTemp(t, "msg", "never signed\n")
	for _, args := range [][]string{
		{"card", "pin", "verify"},
		{"card", "pin", "change"},
		{"card", "sign", "--key", "auth", msg},
		{"card", "sign", "--key", "sign", msg},
	} {
		wantOneLineError(t, withPIN("1234\n5678\n", args...), "The PIN is blocked")
	}
	if out := mustRun(t, "card", "pin", "status", "--reader", e2eReader); !strings.Contains(out, "The PIN is blocked") {
		t.Errorf("card pin status on a blocked card: %q", out)
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "C: 00200001 R: 6983"); n < 5 {
		t.Errorf("the trace holds %d blocked status queries, want one per path:\n%s", n, b)
	}
	if strings.Contains(string(b), "C: 0020000108") {
		t.Errorf("a VERIFY with a PIN reached the blocked card:\n%s", b)
	}

	vc.unplug(t)
	vc = startVcard(t, dir, "1.8", "--trace", trace)
	wantOneLineError(t, withPIN("1234\n", "card", "pin", "verify"), "The PIN is blocked")
	vc.unplug(t)
	mustRun(t, "vcard", "unblock", dir)
	startVcard(t, dir, "1.8", "--trace", trace)
	if r := withPIN("1234\n", "card", "pin", "verify"); r.code != 0 || !strings.Contains(r.stdout, "PIN correct.") {
		t.Errorf("verify after vcard unblock: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
}
