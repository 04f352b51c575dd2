package main

import (
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid/virtualcard/vpcd"
)

// TestNoCardAsksToInsertOne: with every reader empty, `card read` says
// to insert the card.
func TestNoCardAsksToInsertOne(t *testing.T) {
	needPCSC(t)
	waitList(t, e2eReader+": no card")
	needOtherReadersEmpty(t)
	wantOneLineError(t, runBin(t, "card", "read"), "insert your eID card")
}

// foreignCard is a smart card of another kind: a random ATR, and every
// command refused.
type foreignCard struct{ atr []byte }

func (c foreignCard) ATR() []byte         { return c.atr }
func (foreignCard) PowerOn()              {}
func (foreignCard) PowerOff()             {}
func (foreignCard) Reset()                {}
func (foreignCard) Process([]byte) []byte { return []byte{0x6D, 0x00} }

// TestForeignCardIsRefused serves a card with a random ATR in the test
// reader: `card read` must say it is not a Belgian eID.
func TestForeignCardIsRefused(t *testing.T) {
	needPCSC(t)
	waitList(t, e2eReader+": no card")
	needOtherReadersEmpty(t)
	// TS 3B, T0 with no interface bytes and 8 historical bytes (T=0).
	atr := make([]byte, 10)
	rand.Read(atr[2:])
	atr[0], atr[1] = 0x3B, 0x08
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- vpcd.Serve(ctx, e2eAddr, foreignCard{atr}) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serving the foreign card: %v", err)
		}
		waitList(t, e2eReader+": no card")
	}()
	waitList(t, e2eReader+": card present, not a Belgian eID")
	wantOneLineError(t, runBin(t, "card", "read", "--reader", e2eReader), "not a Belgian eID")
	// Without --reader every reader is tried; the others are empty.
	wantOneLineError(t, runBin(t, "card", "read"), "not a Belgian eID")
}

// needOtherReadersEmpty fails when a reader other than the test reader
// holds a card: the tests that try every reader would find that card.
func needOtherReadersEmpty(t *testing.T) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(mustRun(t, "card", "list")), "\n") {
		if !strings.HasPrefix(line, e2eReader+":") && !strings.HasSuffix(line, ": no card") {
			t.Fatalf("another reader holds a card, so this test cannot run: %s", line)
		}
	}
}

// TestPCSCDNotRunning stops pcscd, expects `card list` to say so and how
// to start it, and starts pcscd again. It runs only where the test may
// stop pcscd (make test allows it when it started pcscd itself).
func TestPCSCDNotRunning(t *testing.T) {
	needPCSC(t)
	if os.Getenv("EIDBRIDGE_PCSCD_RESTART") != "1" {
		t.Skip("stops pcscd: set EIDBRIDGE_PCSCD_RESTART=1 to allow it")
	}
	if err := exec.Command("pkill", "-x", "pcscd").Run(); err != nil {
		t.Fatalf("pkill -x pcscd: %v (is pcscd running?)", err)
	}
	defer restartPCSCD(t)
	deadline := time.Now().Add(15 * time.Second)
	for exec.Command("pgrep", "-x", "pcscd").Run() == nil {
		if time.Now().After(deadline) {
			t.Fatal("pcscd did not exit")
		}
		time.Sleep(50 * time.Millisecond)
	}
	wantOneLineError(t, runBin(t, "card", "list"), "pcscd is not running")
}

// restartPCSCD starts pcscd (it forks into the background; its output
// goes to a file, not a pipe the daemon would keep open) and waits until
// it lists the test reader.
func restartPCSCD(t *testing.T) {
	t.Helper()
	log, err := os.Create(t.TempDir() + "/pcscd.log")
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd := exec.Command("pcscd")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(log.Name())
		t.Fatalf("starting pcscd again: %v: %s", err, b)
	}
	waitList(t, e2eReader+": no card")
}
