package pcsc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid/virtualcard/vpcd"
)

// The integration tests use the second vpcd slot; the first one is left
// to other tests that may run on the same pcscd.
const (
	testReader = "Virtual PCD 00 01"
	testAddr   = "127.0.0.1:35964"
)

// needPCSC skips unless the integration tests are enabled.
func needPCSC(t *testing.T) {
	t.Helper()
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") != "1" {
		t.Skip("integration test: set EIDBRIDGE_PCSC_TESTS=1 with pcscd and vsmartcard-vpcd running")
	}
	// A PC/SC call that never returns would otherwise hang the run until
	// go test's own timeout; fail loudly, with every goroutine's stack.
	timer := time.AfterFunc(testLimit, func() {
		panic(fmt.Sprintf("%s still running after %v", t.Name(), testLimit))
	})
	t.Cleanup(func() { timer.Stop() })
}

// testLimit bounds each integration test.
const testLimit = 90 * time.Second

// plugged is a card inserted in the test reader through vpcd.
type plugged struct {
	t      *testing.T
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// plug inserts card into the test reader until unplugged (at the latest
// when the test ends). Dialing is retried for a few seconds, since vpcd
// listens only once pcscd has loaded it.
func plug(t *testing.T, card vpcd.Card) *plugged {
	t.Helper()
	if probeConnect() == nil {
		t.Fatalf("%q already holds a card: something else uses vpcd port %s", testReader, testAddr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &plugged{t: t, cancel: cancel, done: make(chan error, 1)}
	deadline := time.Now().Add(10 * time.Second)
	go func() {
		for {
			err := vpcd.Serve(ctx, testAddr, card)
			var op *net.OpError
			dialFailed := errors.As(err, &op) && op.Op == "dial"
			switch {
			case ctx.Err() != nil:
				p.done <- nil
				return
			case !dialFailed || time.Now().After(deadline):
				p.done <- err
				return
			}
			time.Sleep(100 * time.Millisecond) // vpcd is not listening yet
		}
	}()
	t.Cleanup(p.unplug)
	return p
}

// pull removes the card at once (closes its vpcd connection).
func (p *plugged) pull() { p.cancel() }

// unplug removes the card and waits until pcscd has seen it go.
func (p *plugged) unplug() {
	p.once.Do(func() {
		p.cancel()
		select {
		case err := <-p.done:
			if err != nil {
				p.t.Errorf("vpcd card: %v", err)
			}
		case <-time.After(5 * time.Second):
			p.t.Error("vpcd card did not stop")
		}
		// Let pcscd see the removal, so the next test starts clean.
		waitPresence(p.t, false)
	})
}

// waitPresence waits until pcscd sees the test reader with (present) or
// without a card. It retries connecting rather than calling
// GetStatusChange, which must not run next to a Watch in this process.
func waitPresence(t *testing.T, present bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := probeConnect()
		if present && err == nil || !present && errors.Is(err, scErrNoSmartcard) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the test reader did not become present=%v: last connect: %v", present, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// probeConnect connects to the test reader and leaves at once.
func probeConnect() error {
	sc, err := establishSystem()
	if err != nil {
		return err
	}
	defer sc.Release()
	h, err := sc.Connect(testReader, shareShared, protocolAny)
	if err != nil {
		return err
	}
	return h.Disconnect(leaveCard)
}

// plugAndConnect inserts a fresh test applet and connects to it.
func plugAndConnect(t *testing.T, c *Context) (*testApplet, *Card, *plugged) {
	t.Helper()
	applet := newTestApplet()
	p := plug(t, applet)
	waitPresence(t, true)
	card, err := c.Connect(testReader)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = card.Close() })
	return applet, card, p
}

func newTestContext(t *testing.T, opts ...Option) *Context {
	t.Helper()
	c, err := NewContext(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}
