package pcsc

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
)

// watchReal runs Watch on c; stop cancels it and fails the test unless
// Watch returns nil promptly.
func watchReal(t *testing.T, c *Context, limit time.Duration) (events <-chan Event, stop func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	out := make(chan Event, 64)
	res := make(chan error, 1)
	go func() { res <- c.Watch(ctx, out) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-res:
			if err != nil {
				t.Errorf("Watch: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Watch did not stop on cancel")
		}
	}
	t.Cleanup(stop)
	return out, stop
}

// await reads events until one about the test reader matches want (ATR
// compared only when want has one), failing after limit.
func await(t *testing.T, events <-chan Event, want Event, limit time.Duration) Event {
	t.Helper()
	timeout := time.After(limit)
	var seen []Event
	for {
		select {
		case ev := <-events:
			if ev.Reader == want.Reader && ev.Kind == want.Kind && (want.ATR == nil || bytes.Equal(ev.ATR, want.ATR)) {
				return ev
			}
			seen = append(seen, ev)
		case <-timeout:
			t.Fatalf("no %v within %v; saw %v", want, limit, seen)
		}
	}
}

func TestIntegrationWatch(t *testing.T) {
	needPCSC(t)
	var waits atomic.Int32
	events, stop := watchReal(t, newTestContext(t, withEstablish(countWaits(&waits))), 30*time.Second)
	await(t, events, Event{Kind: ReaderAdded, Reader: testReader}, 5*time.Second)

	slot := plug(t, newTestApplet())
	await(t, events, Event{Kind: CardInserted, Reader: testReader, ATR: beid18ATR}, 5*time.Second)
	slot.unplug()
	await(t, events, Event{Kind: CardRemoved, Reader: testReader}, 5*time.Second)
	stop()
	// One wait per change (initial state, insertion, removal, the
	// cancelled one) and a few for pcscd's own power-state changes; a
	// polling or busy loop would make hundreds over the second or so
	// this test takes.
	t.Logf("%d GetStatusChange calls", waits.Load())
	if n := waits.Load(); n > 12 {
		t.Errorf("Watch called GetStatusChange %d times for three changes", n)
	}
}

// countWaits establishes real contexts that count GetStatusChange calls.
func countWaits(n *atomic.Int32) establishFunc {
	return func() (scContext, error) {
		sc, err := establishSystem()
		if err != nil {
			return nil, err
		}
		return countingContext{sc, n}, nil
	}
}

type countingContext struct {
	scContext
	n *atomic.Int32
}

func (c countingContext) GetStatusChange(states []readerState, timeout time.Duration) error {
	c.n.Add(1)
	return c.scContext.GetStatusChange(states, timeout)
}

// TestIntegrationServiceRestart kills pcscd under a running watcher, an
// open Card and a Context, restarts it, and expects all three to recover
// without restarting the process. It is gated separately because it kills
// the machine's pcscd. The make target owns pcscd (it starts it before the
// tests); this test leaves one running in daemon mode whatever happens.
func TestIntegrationServiceRestart(t *testing.T) {
	needPCSC(t)
	if os.Getenv("EIDBRIDGE_PCSCD_RESTART") != "1" {
		t.Skip("kills pcscd: set EIDBRIDGE_PCSCD_RESTART=1 as well")
	}
	t.Cleanup(func() { ensurePCSCD(t) })
	c := newTestContext(t, WithWatchBackoff(50*time.Millisecond, 500*time.Millisecond))
	_, card, _ := plugAndConnect(t, c)
	events, stop := watchReal(t, c, 60*time.Second)
	await(t, events, Event{Kind: CardInserted, Reader: testReader, ATR: beid18ATR}, 5*time.Second)

	killPCSCD(t)
	await(t, events, Event{Kind: ReaderRemoved, Reader: testReader}, 10*time.Second)
	if _, err := c.Readers(); !errors.Is(err, ErrNoService) {
		t.Errorf("Readers with pcscd down: %v, want ErrNoService", err)
	}
	ensurePCSCD(t)
	await(t, events, Event{Kind: ReaderAdded, Reader: testReader}, 10*time.Second)

	if _, err := c.Readers(); err != nil {
		t.Errorf("Readers after the restart, same Context: %v", err)
	}
	if _, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); !errors.Is(err, ErrConnectionLost) {
		t.Errorf("old card after the restart: %v, want ErrConnectionLost", err)
	}
	_, card2, _ := plugAndConnect(t, c)
	await(t, events, Event{Kind: CardInserted, Reader: testReader, ATR: beid18ATR}, 5*time.Second)
	if resp, err := card2.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); err != nil || resp.SW != apdu.OK {
		t.Errorf("new card after the restart: %v, SW %04X", err, uint16(resp.SW))
	}
	stop()
}

// killPCSCD stops every pcscd and waits until they have exited.
func killPCSCD(t *testing.T) {
	t.Helper()
	pids := pcscdPIDs()
	if len(pids) == 0 {
		t.Fatal("no pcscd to kill")
	}
	for _, pid := range pids {
		p, _ := os.FindProcess(pid) // never fails on Unix
		if err := p.Signal(syscall.SIGTERM); err != nil {
			t.Fatalf("kill pcscd %d: %v", pid, err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(pcscdPIDs()) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("pcscd did not exit")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ensurePCSCD starts pcscd in daemon mode unless one runs.
func ensurePCSCD(t *testing.T) {
	t.Helper()
	if len(pcscdPIDs()) > 0 {
		return
	}
	if out, err := exec.Command("pcscd").CombinedOutput(); err != nil {
		t.Errorf("start pcscd: %v: %s", err, out)
	}
}

func pcscdPIDs() []int {
	out, _ := exec.Command("pgrep", "-x", "pcscd").Output()
	var pids []int
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}
