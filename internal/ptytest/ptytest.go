//go:build linux

// Package ptytest gives tests a pseudo-terminal made with the kernel's
// /dev/ptmx: the test types on the master side and reads what the
// program under test displayed on the slave side, which the program opens
// as its terminal (or gets as its controlling terminal).
package ptytest

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// PTY is an open pseudo-terminal.
type PTY struct {
	Master *os.File
	Slave  string   // the slave's path, /dev/pts/N
	Hold   *os.File // a slave kept open: the master reads EIO when none is
	mu     sync.Mutex
	shown  bytes.Buffer // everything the terminal displayed
}

// Open makes a pseudo-terminal, closed at the end of the test; it skips
// the test where the system has none.
func Open(t *testing.T) *PTY {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	var unlock int32
	var n uint32
	if err := Ioctl(m, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		t.Fatalf("unlocking the pty: %v", err)
	}
	if err := Ioctl(m, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		t.Fatalf("pty number: %v", err)
	}
	p := &PTY{Master: m, Slave: fmt.Sprintf("/dev/pts/%d", n)}
	if p.Hold, err = os.OpenFile(p.Slave, os.O_RDWR|syscall.O_NOCTTY, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Hold.Close() })
	go p.record()
	return p
}

func (p *PTY) record() {
	buf := make([]byte, 256)
	for {
		k, err := p.Master.Read(buf)
		p.mu.Lock()
		p.shown.Write(buf[:k])
		p.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// Output is everything displayed so far.
func (p *PTY) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.shown.String()
}

// WaitFor waits up to limit for the terminal to show s at least n times
// in all, and fails the test otherwise.
func (p *PTY) WaitFor(t *testing.T, s string, n int, limit time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if strings.Count(p.Output(), s) >= n {
			return
		}
	}
	t.Fatalf("the terminal never showed %q (%d times): %q", s, n, p.Output())
}

// Termios reads the slave's settings.
func (p *PTY) Termios(t *testing.T) syscall.Termios {
	t.Helper()
	var tio syscall.Termios
	if err := Ioctl(p.Hold, syscall.TCGETS, unsafe.Pointer(&tio)); err != nil {
		t.Fatal(err)
	}
	return tio
}

// Ioctl runs one ioctl on f without taking it out of Go's poller.
func Ioctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
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
