package ui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// pty is a pseudo-terminal made with the kernel's /dev/ptmx: the test
// types on the master side; the Terminal UI opens the slave side as it
// opens /dev/tty.
type pty struct {
	master *os.File
	slave  string
	hold   *os.File // a slave kept open: the master reads EIO when none is
	mu     sync.Mutex
	shown  bytes.Buffer // everything the terminal displayed

	interrupted bool // a read was interrupted
}

func openPTY(t *testing.T) *pty {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	var unlock int32
	var n uint32
	if err := ioctl(m, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		t.Fatalf("unlocking the pty: %v", err)
	}
	if err := ioctl(m, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		t.Fatalf("pty number: %v", err)
	}
	p := &pty{master: m, slave: fmt.Sprintf("/dev/pts/%d", n)}
	if p.hold, err = os.OpenFile(p.slave, os.O_RDWR|syscall.O_NOCTTY, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.hold.Close() })
	go func() {
		buf := make([]byte, 256)
		for {
			k, err := m.Read(buf)
			p.mu.Lock()
			p.shown.Write(buf[:k])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return p
}

func ioctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg))
	})
	if errno != 0 {
		return errno
	}
	return nil
}

func (p *pty) terminal() *Terminal {
	return &Terminal{open: func() (*console, error) {
		f, err := os.OpenFile(p.slave, os.O_RDWR|syscall.O_NOCTTY, 0)
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

func (p *pty) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.shown.String()
}

func (p *pty) waitFor(t *testing.T, s string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if strings.Contains(p.output(), s) {
			return
		}
	}
	t.Fatalf("the terminal never showed %q: %q", s, p.output())
}

// termios reads the slave's settings.
func (p *pty) termios(t *testing.T) syscall.Termios {
	t.Helper()
	var tio syscall.Termios
	if err := ioctl(p.hold, syscall.TCGETS, unsafe.Pointer(&tio)); err != nil {
		t.Fatal(err)
	}
	return tio
}

func TestTerminalOnPTYReadsPINWithoutEcho(t *testing.T) {
	p := openPTY(t)
	before := p.termios(t)
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
	p.master.Write([]byte("5678\r"))
	r := <-done
	if r.err != nil || string(r.pin) != "5678" {
		t.Fatalf("Ask = %q, %v; want 5678", r.pin, r.err)
	}
	if strings.Contains(p.output(), "5678") {
		t.Errorf("the PIN was echoed: %q", p.output())
	}
	if after := p.termios(t); after != before {
		t.Errorf("terminal settings not restored:\nbefore %+v\nafter  %+v", before, after)
	}
}

// ctx's end interrupts a read of a real terminal and restores it.
func TestTerminalOnPTYTimeout(t *testing.T) {
	p := openPTY(t)
	before := p.termios(t)
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
	if after := p.termios(t); after != before {
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
	p.master.Write([]byte{keyCtrlC})
	if err := <-done; err != ErrCancelled {
		t.Errorf("Ask = %v; want ErrCancelled (Ctrl-C must not be a signal)", err)
	}
}
