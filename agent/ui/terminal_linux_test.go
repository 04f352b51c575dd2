package ui

import (
	"context"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/internal/ptytest"
)

// pty is a pseudo-terminal whose slave side the Terminal UI opens as
// it opens /dev/tty, noting whether a read was interrupted.
type pty struct {
	*ptytest.PTY
	mu          sync.Mutex
	interrupted bool // a read was interrupted
}

func openPTY(t *testing.T) *pty { return &pty{PTY: ptytest.Open(t)} }

func (p *pty) terminal() *Terminal {
	return &Terminal{open: func() (*console, error) {
		f, err := os.OpenFile(p.Slave, os.O_RDWR|syscall.O_NOCTTY, 0)
		if err != nil {
			return nil, err
		}
		c := ttyConsole(f)
		interrupt := c.interrupt
		c.interrupt = func() bool {
			ok := interrupt()
			p.mu.Lock()
			p.interrupted = ok
			p.mu.Unlock()
			return ok
		}
		return c, nil
	}}
}

func (p *pty) waitFor(t *testing.T, s string) {
	t.Helper()
	p.WaitFor(t, s, 1, 10*time.Second)
}

func TestTerminalOnPTYReadsPINWithoutEcho(t *testing.T) {
	p := openPTY(t)
	before := p.Termios(t)
	if before.Lflag&syscall.ECHO == 0 {
		t.Fatal("a fresh pty should echo")
	}
	type result struct {
		pin []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		pin, err := p.terminal().Ask(context.Background(), termPINQ)
		done <- result{pin, err}
	}()
	p.waitFor(t, "PIN (Ctrl-C to cancel): ")
	p.Master.Write([]byte("5678\r"))
	r := <-done
	if r.err != nil || string(r.pin) != "5678" {
		t.Fatalf("Ask = %q, %v; want 5678", r.pin, r.err)
	}
	if strings.Contains(p.Output(), "5678") {
		t.Errorf("the PIN was echoed: %q", p.Output())
	}
	if after := p.Termios(t); after != before {
		t.Errorf("terminal settings not restored:\nbefore %+v\nafter  %+v", before, after)
	}
}

// ctx's end interrupts a read of a real terminal and restores it.
func TestTerminalOnPTYTimeout(t *testing.T) {
	p := openPTY(t)
	before := p.Termios(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	pin, err := p.terminal().Ask(ctx, Question{Kind: KindConsent, Origin: "bank.example", Purpose: PurposeReadIdentity})
	if pin != nil || err != ErrTimeout {
		t.Fatalf("Ask = %q, %v; want ErrTimeout", pin, err)
	}
	p.mu.Lock()
	interrupted := p.interrupted
	p.mu.Unlock()
	if !interrupted {
		t.Error("the read of the terminal was abandoned, not interrupted")
	}
	if after := p.Termios(t); after != before {
		t.Errorf("terminal settings not restored:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestTerminalOnPTYCtrlC(t *testing.T) {
	p := openPTY(t)
	done := make(chan error, 1)
	go func() {
		_, err := p.terminal().Ask(context.Background(), noticeQ)
		done <- err
	}()
	p.waitFor(t, "Press Ctrl-C to cancel.")
	p.Master.Write([]byte{keyCtrlC})
	if err := <-done; err != ErrCancelled {
		t.Errorf("Ask = %v; want ErrCancelled (Ctrl-C must not be a signal)", err)
	}
}
