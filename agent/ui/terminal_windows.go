//go:build windows

package ui

import (
	"fmt"
	"os"

	"golang.org/x/term"
)

// openConsole opens the console, even when stdin and stdout are
// redirected. A console read cannot be interrupted: see Terminal.
func openConsole() (*console, error) {
	in, err := os.OpenFile("CONIN$", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("terminal UI: no console to ask on (%w); use the native UI or exec:COMMAND", err)
	}
	out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		in.Close()
		return nil, fmt.Errorf("terminal UI: no console to ask on (%w); use the native UI or exec:COMMAND", err)
	}
	fd := int(in.Fd())
	return &console{
		in:  in,
		out: out,
		makeRaw: func() (func(), error) {
			state, err := term.MakeRaw(fd)
			if err != nil {
				return nil, err
			}
			return func() { term.Restore(fd, state) }, nil
		},
		interrupt: func() bool { return false },
		close:     func() { in.Close(); out.Close() },
	}, nil
}
