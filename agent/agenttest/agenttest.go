// Package agenttest runs the agent in a test's own process: the setup
// that the agent's, the integration, the portal and the browser tests
// share.
package agenttest

import (
	"bytes"
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

// stopWait bounds the wait for the agent to stop when the test ends.
const stopWait = 30 * time.Second

// Start builds an agent from opts, serves it on a fresh loopback port
// until tb ends, and returns the port. Serve's error fails the test.
func Start(tb testing.TB, opts agent.Options) int {
	tb.Helper()
	s, err := agent.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("Serve: %v", err)
			}
		case <-time.After(stopWait):
			tb.Error("the agent did not stop")
		}
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// PINUI answers every question at once: the fixtures' PIN (1234) to a
// PIN question, yes to any other.
type PINUI struct{}

// Ask answers q without waiting.
func (PINUI) Ask(_ context.Context, q ui.Question) ([]byte, error) {
	if q.Kind == ui.KindPIN {
		return []byte("1234"), nil
	}
	return nil, nil
}

// Buffer collects a log written from several goroutines.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
