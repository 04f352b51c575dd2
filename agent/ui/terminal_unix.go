//go:build unix

package ui

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/term"
)

// openConsole opens the controlling terminal.
func openConsole() (*console, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("terminal UI: no terminal to ask on (%w); use the native UI or exec:COMMAND", err)
	}
	return ttyConsole(f), nil
}

// ttyConsole wraps an open terminal. The file stays in Go's poller (its
// descriptor is reached through SyscallConn, never Fd, which would make
// it blocking), so a read deadline can interrupt a pending read.
func ttyConsole(f *os.File) *console {
	return &console{
		in:  f,
		out: f,
		makeRaw: func() (func(), error) {
			return ttyRaw(f)
		},
		interrupt: func() bool { return f.SetReadDeadline(time.Unix(1, 0)) == nil },
		close:     func() { f.Close() },
	}
}

func ttyRaw(f *os.File) (func(), error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var state *term.State
	var rawErr error
	if err := rc.Control(func(fd uintptr) { state, rawErr = term.MakeRaw(int(fd)) }); err != nil {
		return nil, err
	}
	if rawErr != nil {
		return nil, rawErr
	}
	return func() {
		rc.Control(func(fd uintptr) { term.Restore(int(fd), state) })
	}, nil
}
