package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

// TestCardCommandsOnVirtualCard creates a card of each applet with `vcard
// init`, plugs it in with `vcard run`, and drives the card commands
// through pcscd as a user would.
func TestCardCommandsOnVirtualCard(t *testing.T) {
	needPCSC(t)
	for _, applet := range []string{"1.7", "1.8"} {
		t.Run(applet, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "card")
			mustRun(t, "vcard", "init", dir, "--applet", applet)
			profile := readProfile(t, dir)
			vc := startVcard(t, dir, applet)

			t.Run("list", func(t *testing.T) { checkList(t, applet, profile) })
			t.Run("read", func(t *testing.T) { checkRead(t, dir, applet, profile) })
			t.Run("cert", func(t *testing.T) { checkCert(t, dir) })
			t.Run("watch", func(t *testing.T) { checkWatch(t, vc) })
		})
	}
}

// profile is what the test needs of card.json.
type profile struct {
	ChipSerial string `json:"chip_serial"`
	Identity   struct {
		NationalNumber string `json:"national_number"`
		Surname        string `json:"surname"`
	} `json:"identity"`
}

func readProfile(t *testing.T, dir string) profile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "card.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p profile
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("card.json: %v", err)
	}
	return p
}

// checkList: `card list` names the applet and the chip of the card.
func checkList(t *testing.T, applet string, p profile) {
	out := mustRun(t, "card", "list")
	want := e2eReader + ": Belgian eID, applet " + applet + ", chip " + p.ChipSerial[16:]
	if !strings.Contains(out, want) {
		t.Errorf("card list:\n%s\nwant a line starting %q", out, want)
	}
}

// readJSON is the part of `card read --json` the test checks.
type readJSON struct {
	Reader string `json:"reader"`
	Card   struct {
		Applet string `json:"applet"`
		Serial string `json:"chipSerial"`
	} `json:"card"`
	Identity struct {
		NationalNumber string `json:"nationalNumber"`
		Surname        string `json:"surname"`
	} `json:"identity"`
	Verification struct {
		OK     bool        `json:"ok"`
		Checks []eid.Check `json:"checks"`
	} `json:"verification"`
}

// checkRead: with the profile's root trusted, every check passes; the
// basic key hash exists on applet 1.8 only.
func checkRead(t *testing.T, dir, applet string, p profile) {
	out := mustRun(t, "card", "read", "--reader", e2eReader, "--json", "--trust", filepath.Join(dir, "root-ca.pem"))
	var r readJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("card read --json: %v\n%s", err, out)
	}
	if r.Reader != e2eReader || r.Card.Applet != applet || r.Card.Serial != p.ChipSerial {
		t.Errorf("reader %q applet %q serial %q; want %q %q %q", r.Reader, r.Card.Applet, r.Card.Serial, e2eReader, applet, p.ChipSerial)
	}
	if r.Identity.NationalNumber != p.Identity.NationalNumber || r.Identity.Surname != p.Identity.Surname {
		t.Errorf("identity %+v, profile has %+v", r.Identity, p.Identity)
	}
	if !r.Verification.OK || len(r.Verification.Checks) == 0 {
		t.Errorf("verification not ok: %s", out)
	}
	for _, c := range r.Verification.Checks {
		want := eid.StatusOK
		if c.Name == eid.CheckBasicKeyHash && applet == "1.7" {
			want = eid.StatusNotApplicable
		}
		if c.Status != want {
			t.Errorf("check %q: %s (%s), want %s", c.Name, c.Status, c.Detail, want)
		}
	}
}

// checkCert: `card cert auth` prints the certificate the card stores.
func checkCert(t *testing.T, dir string) {
	out := mustRun(t, "card", "cert", "auth", "--reader", e2eReader)
	blk, rest := pem.Decode([]byte(out))
	if blk == nil || blk.Type != "CERTIFICATE" || len(bytes.TrimSpace(rest)) != 0 {
		t.Fatalf("card cert auth: want one PEM certificate, got:\n%s", out)
	}
	stored, err := os.ReadFile(filepath.Join(dir, "files", "3F00DF005038.bin"))
	if err != nil {
		t.Fatal(err)
	}
	// The card file is the DER certificate followed by zero padding.
	if !bytes.HasPrefix(stored, blk.Bytes) || len(bytes.Trim(stored[len(blk.Bytes):], "\x00")) != 0 {
		t.Errorf("card cert auth printed %d DER bytes that are not the card file's certificate", len(blk.Bytes))
	}
}

// checkWatch: `card list --watch` reports the card, then its removal and
// re-insertion when `vcard run` gets SIGUSR1.
func checkWatch(t *testing.T, vc *vcardProc) {
	cmd := exec.Command(e2eBin, "card", "list", "--watch")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(lineReader, 64)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("card list --watch on SIGTERM: %v", err)
		}
	}()
	lines.next(t, "card inserted: "+quoted(e2eReader)) // the initial state
	vc.replug(t)
	lines.next(t, "card removed: "+quoted(e2eReader))
	lines.next(t, "card inserted: "+quoted(e2eReader))
}
