package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeConsole records what Ask does to a terminal.
type fakeConsole struct {
	mu                    sync.Mutex
	out                   strings.Builder
	raw, restored, closed int
	closedCh              chan struct{}
}

func (f *fakeConsole) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.Write(p)
}

func (f *fakeConsole) counts() (raw, restored, closed int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.raw, f.restored, f.closed
}

// terminalOn returns a Terminal whose console reads in; interrupt is
// the console's interrupt.
func terminalOn(in io.Reader, interrupt func() bool) (*Terminal, *fakeConsole) {
	f := &fakeConsole{closedCh: make(chan struct{})}
	c := &console{
		in:  in,
		out: f,
		makeRaw: func() (func(), error) {
			f.mu.Lock()
			f.raw++
			f.mu.Unlock()
			return func() { f.mu.Lock(); f.restored++; f.mu.Unlock() }, nil
		},
		interrupt: interrupt,
		close: func() {
			f.mu.Lock()
			f.closed++
			f.mu.Unlock()
			close(f.closedCh)
		},
	}
	return &Terminal{open: func() (*console, error) { return c, nil }}, f
}

func TestTerminalAskAnswers(t *testing.T) {
	term, f := terminalOn(strings.NewReader("5678\r"), func() bool { return false })
	pin, err := term.Ask(context.Background(), termPINQ)
	if err != nil || string(pin) != "5678" {
		t.Fatalf("Ask = %q, %v; want 5678", pin, err)
	}
	if raw, restored, closed := f.counts(); raw != 1 || restored != 1 || closed != 1 {
		t.Errorf("raw %d, restored %d, closed %d times; want 1 each", raw, restored, closed)
	}
}

// With a read that can be interrupted, ctx's end stops the read and Ask
// returns only once the terminal is restored and closed.
func TestTerminalAskTimeoutInterrupts(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	if err := r.SetReadDeadline(time.Time{}); err != nil {
		t.Skipf("pipes take no read deadline here (%v); the abandon path is tested below", err)
	}
	interrupted := false
	term, f := terminalOn(r, func() bool {
		interrupted = true
		return r.SetReadDeadline(time.Unix(1, 0)) == nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	pin, err := term.Ask(ctx, termPINQ)
	if pin != nil || err != ErrTimeout || !interrupted {
		t.Fatalf("Ask = %q, %v (interrupted %v); want ErrTimeout after an interrupt", pin, err, interrupted)
	}
	if raw, restored, closed := f.counts(); raw != 1 || restored != 1 || closed != 1 {
		t.Errorf("raw %d, restored %d, closed %d times; want 1 each", raw, restored, closed)
	}
}

// A read that cannot be interrupted is abandoned: Ask returns and
// restores the terminal at once; the next key typed is read, wiped and
// never used, and the goroutine then closes the terminal.
func TestTerminalAskCancelAbandons(t *testing.T) {
	pr, pw := io.Pipe()
	term, f := terminalOn(pr, func() bool { return false })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	pin, err := term.Ask(ctx, termPINQ)
	if pin != nil || err != context.Canceled {
		t.Fatalf("Ask = %q, %v; want context.Canceled", pin, err)
	}
	if raw, restored, closed := f.counts(); raw != 1 || restored != 1 || closed != 0 {
		t.Errorf("after Ask: raw %d, restored %d, closed %d; want 1, 1, 0", raw, restored, closed)
	}
	if _, err := pw.Write([]byte("5")); err != nil {
		t.Fatalf("the abandoned reader did not read: %v", err)
	}
	select {
	case <-f.closedCh:
	case <-time.After(10 * time.Second):
		t.Fatal("the abandoned goroutine never closed the terminal")
	}
}

func TestTerminalAskErrors(t *testing.T) {
	noTTY := errors.New("terminal UI: no terminal to ask on")
	term := &Terminal{open: func() (*console, error) { return nil, noTTY }}
	if _, err := term.Ask(context.Background(), termPINQ); err != noTTY {
		t.Errorf("no terminal: %v", err)
	}
	closed := false
	term = &Terminal{open: func() (*console, error) {
		return &console{
			makeRaw: func() (func(), error) { return nil, errors.New("not a terminal") },
			close:   func() { closed = true },
		}, nil
	}}
	if _, err := term.Ask(context.Background(), termPINQ); err == nil || !strings.Contains(err.Error(), "echo") || !closed {
		t.Errorf("raw mode refused: %v (closed %v); want an echo error and the terminal closed", err, closed)
	}
}
