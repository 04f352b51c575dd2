package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

// chainChecks are the checks that depend on which roots are trusted.
var chainChecks = []string{eid.CheckRRNChain, eid.CheckAuthChain, eid.CheckSignChain, eid.CheckCardRoot}

// TestCardReadTrust: a virtual card's root is not a pinned Belgian root,
// so `card read` reports its chains as ending at an untrusted root until
// --trust names that root; another root does not help.
func TestCardReadTrust(t *testing.T) {
	needPCSC(t)
	dir := filepath.Join(t.TempDir(), "card")
	mustRun(t, "vcard", "init", dir, "--applet", "1.8")
	startVcard(t, dir, "1.8")
	own := filepath.Join(dir, "root-ca.pem")
	other := filepath.Join("..", "..", "eid", "virtualcard", "testdata", "citizen-1.8", "root-ca.pem")

	t.Run("without --trust", func(t *testing.T) {
		checkTrustJSON(t, false, eid.StatusUntrusted)
		checkTrustText(t, "the card data is consistent, but the card's root is not a Belgian eID root", eid.StatusUntrusted)
	})
	t.Run("another root", func(t *testing.T) { checkTrustJSON(t, false, eid.StatusUntrusted, "--trust", other) })
	t.Run("the card's root", func(t *testing.T) {
		checkTrustJSON(t, true, eid.StatusOK, "--trust", own)
		checkTrustText(t, "the card data is authentic", eid.StatusOK, "--trust", own)
	})
	t.Run("repeated --trust", func(t *testing.T) { checkTrustJSON(t, true, eid.StatusOK, "--trust", other, "--trust", own) })
	t.Run("not a certificate", func(t *testing.T) {
		r := runBin(t, "card", "read", "--reader", e2eReader, "--trust", filepath.Join(dir, "card.json"))
		if r.code == 0 || !strings.Contains(r.stderr, "holds no PEM certificate") {
			t.Errorf("exit %d, stderr %q; want a failure naming the file", r.code, r.stderr)
		}
	})
}

// checkTrustJSON runs `card read --json` with flags: every chain check
// has want, and the report is OK, trusted or not as told.
func checkTrustJSON(t *testing.T, trusted bool, want eid.Status, flags ...string) {
	t.Helper()
	out := mustRun(t, append([]string{"card", "read", "--reader", e2eReader, "--json"}, flags...)...)
	var r struct {
		Verification struct {
			OK, Trusted bool
			Checks      []eid.Check
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("card read --json: %v\n%s", err, out)
	}
	v := r.Verification
	if !v.OK || v.Trusted != trusted {
		t.Errorf("ok %v trusted %v, want true %v", v.OK, v.Trusted, trusted)
	}
	for _, name := range chainChecks {
		if c := findCheck(v.Checks, name); c.Status != want {
			t.Errorf("%s: %s (%s), want %s", name, c.Status, c.Detail, want)
		}
	}
}

// checkTrustText runs `card read` with flags: every chain line starts
// with status, nothing is "not checked", and the result line says result.
func checkTrustText(t *testing.T, result string, status eid.Status, flags ...string) {
	t.Helper()
	out := mustRun(t, append([]string{"card", "read", "--reader", e2eReader}, flags...)...)
	for _, name := range chainChecks {
		if line := fmt.Sprintf("\n  %-14s %s: ", status, name); !strings.Contains(out, line) {
			t.Errorf("no line %q in:\n%s", line, out)
		}
	}
	if strings.Contains(out, string(eid.StatusNotChecked)) || !strings.Contains(out, "\nResult: "+result) {
		t.Errorf("want no check %q and the result %q:\n%s", eid.StatusNotChecked, result, out)
	}
}

func findCheck(checks []eid.Check, name string) eid.Check {
	for _, c := range checks {
		if c.Name == name {
			return c
		}
	}
	return eid.Check{Name: name, Status: "missing"}
}
