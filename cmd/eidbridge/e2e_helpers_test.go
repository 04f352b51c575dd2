package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The end-to-end tests use the first vpcd slot (the pcsc package's tests
// use the second).
const (
	e2eReader = "Virtual PCD 00 00"
	e2eAddr   = "127.0.0.1:35963"
)

func needPCSC(t *testing.T) {
	t.Helper()
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") != "1" {
		t.Skip("integration test: set EIDBRIDGE_PCSC_TESTS=1 with pcscd and vsmartcard-vpcd running (make test does)")
	}
}

// vcardProc is an eidbridge subprocess: `vcard run` holding a card in
// the test reader, or another command started by startProc.
type vcardProc struct {
	cmd  *exec.Cmd
	done chan error
	once sync.Once // stop runs once: explicitly, then at the test's end
}

// startVcard runs `vcard run dir` (with extra flags) until the test ends
// and waits until `card list` shows the card with its applet.
func startVcard(t *testing.T, dir, applet string, flags ...string) *vcardProc {
	t.Helper()
	waitList(t, e2eReader+": no card") // a stray card would make every check lie
	p := startProc(t, append([]string{"vcard", "run", dir, "--vpcd", e2eAddr}, flags...)...)
	t.Cleanup(func() { p.unplug(t) }) // runs before startProc's own cleanup
	waitList(t, e2eReader+": Belgian eID, applet "+applet)
	return p
}

// unplug stops `vcard run` and waits until the reader is empty.
func (p *vcardProc) unplug(t *testing.T) {
	t.Helper()
	p.stop(t)
	waitList(t, e2eReader+": no card")
}

// replug pulls the virtual card out and puts it back after half a
// second, by the signal vcard run takes for that.
func (p *vcardProc) replug(t *testing.T) {
	t.Helper()
	if len(replugSignals) == 0 {
		t.Skip("vcard run cannot re-plug its card by a signal on this system")
	}
	if err := p.cmd.Process.Signal(replugSignals[0]); err != nil {
		t.Fatalf("signalling vcard run: %v", err)
	}
}

// stop ends the process with SIGTERM, as its usage says, and kills it
// if it does not stop in time; later calls do nothing.
func (p *vcardProc) stop(t *testing.T) {
	t.Helper()
	p.once.Do(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
			t.Error("eidbridge did not stop on SIGTERM")
		}
	})
}

// waitList polls `card list` until one of its lines starts with want.
func waitList(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		r := runBin(t, "card", "list")
		last = r.stdout + r.stderr
		for _, line := range strings.Split(r.stdout, "\n") {
			if strings.HasPrefix(line, want) {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("card list never showed %q; last output:\n%s", want, last)
}

// lineReader hands out the lines a subprocess prints, with a deadline.
type lineReader chan string

// next returns the next line that contains want, skipping others.
func (lr lineReader) next(t *testing.T, want string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var seen []string
	for {
		select {
		case line, ok := <-lr:
			if !ok {
				t.Fatalf("output ended before a line with %q; saw %q", want, seen)
			}
			if strings.Contains(line, want) {
				return line
			}
			seen = append(seen, line)
		case <-ctx.Done():
			t.Fatalf("no line with %q within 15s; saw %q", want, seen)
		}
	}
}

func quoted(reader string) string { return fmt.Sprintf("%q", reader) }
