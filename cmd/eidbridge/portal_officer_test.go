package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// eidbridge portal officer add, list and remove manage the desk's
// officers in the portal's data directory; bad input says what is wrong
// and changes nothing.
func TestPortalOfficerCommands(t *testing.T) {
	data := filepath.Join(t.TempDir(), "portal")
	if r := runBin(t, "portal", "officer", "add", "--data", data, "85031486537", "Jan Peeters"); r.code == 0 ||
		!strings.Contains(r.stderr, "national") {
		t.Errorf("a wrong national number: exit %d, %q", r.code, r.stderr)
	}
	mustRun(t, "portal", "officer", "add", "--data", data, "85.03.14-865.36", "Jan Peeters")
	if out := mustRun(t, "portal", "officer", "list", "--data", data); !strings.Contains(out, "85031486536  Jan Peeters") {
		t.Errorf("list after add: %q", out)
	}
	mustRun(t, "portal", "officer", "remove", "--data", data, "85031486536")
	if out := mustRun(t, "portal", "officer", "list", "--data", data); out != "" {
		t.Errorf("list after remove: %q", out)
	}
	if r := runBin(t, "portal", "officer", "remove", "--data", data, "85031486536"); r.code == 0 ||
		!strings.Contains(r.stderr, "is not a desk officer") {
		t.Errorf("removing twice: exit %d, %q", r.code, r.stderr)
	}
	if r := runBin(t, "portal", "officer", "add", "--data", data, "85031486536"); r.code != 2 {
		t.Errorf("add without a name: exit %d, want 2 (usage)", r.code)
	}
}
