package integration

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/pcsc"
)

// needRestart skips the tests that stop pcscd unless they are allowed:
// make test allows them only when it started pcscd itself.
func needRestart(t testing.TB) {
	t.Helper()
	needPCSC(t)
	if os.Getenv("EIDBRIDGE_PCSCD_RESTART") != "1" {
		t.Skip("stops and restarts pcscd: set EIDBRIDGE_PCSCD_RESTART=1 to allow it")
	}
}

// TestReadAfterPCSCDRestart kills pcscd while a Watch runs and the card
// sits in the reader, starts it again, and expects the watcher to report
// the reader and card again and the same pcsc.Context to read the card.
// The pcsc package tests its own recovery; this checks the eid read on
// top of it. pcscd is left running, as `pcscd` starts it.
func TestReadAfterPCSCDRestart(t *testing.T) {
	needRestart(t)
	pc := newContext(t)
	ctx, cancel := context.WithCancel(context.Background())
	events := make(chan pcsc.Event, 64)
	watched := make(chan error, 1)
	go func() { watched <- pc.Watch(ctx, events) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-watched:
		case <-time.After(waitFor):
			t.Error("Watch did not stop")
		}
	})

	const name = "citizen-1.7"
	insert(t, pc, virtualcard.New(loadFixture(t, name)))
	waitEvent(t, events, pcsc.CardInserted)
	readVerified(t, pc, name)

	restartPCSCD(t)
	waitEvent(t, events, pcsc.ReaderRemoved)
	waitEvent(t, events, pcsc.ReaderAdded)
	waitEvent(t, events, pcsc.CardInserted)
	readVerified(t, pc, name)
}

// waitEvent discards events until one of kind for the test reader.
func waitEvent(t testing.TB, events <-chan pcsc.Event, kind pcsc.EventKind) {
	t.Helper()
	timeout := time.After(waitFor)
	for {
		select {
		case ev := <-events:
			if ev.Reader == testReader && ev.Kind == kind {
				return
			}
		case <-timeout:
			t.Fatalf("no %s event for %q within %v", kind, testReader, waitFor)
		}
	}
}

func readVerified(t *testing.T, pc *pcsc.Context, name string) {
	t.Helper()
	_, card := openEID(t, pc)
	files, err := card.Read(card.FullRead()...)
	if err != nil {
		t.Fatalf("full read: %v", err)
	}
	r := eid.Verify(files, eid.VerifyOptions{Roots: fixtureRoots(t, name)})
	if !r.OK() {
		t.Errorf("verification: %v", r.Err())
	}
}

// restartPCSCD kills pcscd, waits until it is gone and starts it again
// (it daemonises itself).
func restartPCSCD(t *testing.T) {
	t.Helper()
	if err := exec.Command("pkill", "-x", "pcscd").Run(); err != nil {
		t.Fatalf("pkill -x pcscd: %v (is pcscd running?)", err)
	}
	deadline := time.Now().Add(waitFor)
	for exec.Command("pgrep", "-x", "pcscd").Run() == nil {
		if time.Now().After(deadline) {
			t.Fatal("pcscd did not exit")
		}
		time.Sleep(50 * time.Millisecond)
	}
	startPCSCD(t)
}

// startPCSCD runs `pcscd`, which forks into the background. Its output
// goes to a file, not a pipe the daemon would hold open.
func startPCSCD(t *testing.T) {
	t.Helper()
	out, err := os.CreateTemp(t.TempDir(), "pcscd-*.log")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command("pcscd")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		log, _ := os.ReadFile(out.Name())
		t.Fatalf("restarting pcscd: %v: %s", err, log)
	}
}
