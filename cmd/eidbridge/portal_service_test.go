package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// eidbridge portal service add, list and remove manage the services that
// log citizens in through the portal; bad input says what is wrong and
// makes nothing.
func TestPortalServiceCommands(t *testing.T) {
	data := filepath.Join(t.TempDir(), "portal")
	wantOneLineError(t, runBin(t, "portal", "service", "add", "--data", data, "--name", "Pensions",
		"--redirect", "http://pensions.example/cb", "pensions"), "https, or http on a loopback address only")
	if _, err := os.Stat(data); err == nil {
		t.Fatal("a refused registration made the data directory")
	}
	out := mustRun(t, "portal", "service", "add", "--data", data, "--name", "Pensions", "--redirect",
		"https://pensions.example/cb", "--scope", "profile", "--scope", "national_register_number", "pensions")
	if !strings.Contains(out, "client secret (shown once): ") {
		t.Fatalf("add: %q", out)
	}
	out = mustRun(t, "portal", "service", "list", "--data", data)
	if !strings.Contains(out, `pensions  "Pensions"  redirect https://pensions.example/cb  scopes openid profile national_register_number`) {
		t.Errorf("list: %q", out)
	}
	mustRun(t, "portal", "service", "remove", "--data", data, "pensions")
	if out := mustRun(t, "portal", "service", "list", "--data", data); out != "" {
		t.Errorf("list after remove: %q", out)
	}
	wantOneLineError(t, runBin(t, "portal", "service", "remove", "--data", data, "pensions"), `no service "pensions"`)
	if r := runBin(t, "portal", "service", "add", "--data", data, "pensions"); r.code != 1 || !strings.Contains(r.stderr, "service name") {
		t.Errorf("add without a name: exit %d %q", r.code, r.stderr)
	}
}
