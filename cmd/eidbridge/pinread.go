package main

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/eidbridge/eidbridge/eid"
)

// pinSource answers the card's PIN requests for the CLI. The PIN comes
// from the terminal without echo, or, with --pin-fd N, from lines read
// on file descriptor N (for scripts). Never from an argument or the
// environment: both are visible to other users of the machine.
type pinSource struct {
	fd       io.Reader // --pin-fd; nil: the terminal
	fdName   string
	out      io.Writer                           // prompts and keypad notices
	terminal func(prompt string) ([]byte, error) // reads one PIN without echo
}

// maxPINLine bounds a line read from --pin-fd; a PIN has at most 12 digits.
const maxPINLine = 64

// newPINSource reads from file descriptor fd, or from the terminal when
// fd is negative.
func newPINSource(fd int) (*pinSource, error) {
	src := &pinSource{out: os.Stderr, terminal: readTerminalPIN}
	if fd < 0 {
		return src, nil
	}
	f := os.NewFile(uintptr(fd), fmt.Sprintf("file descriptor %d", fd))
	if _, err := f.Stat(); err != nil {
		return nil, fmt.Errorf("--pin-fd %d is not an open file descriptor", fd)
	}
	src.fd, src.fdName = f, f.Name()
	return src, nil
}

// prompt is the eid.PINPrompt of the CLI.
func (s *pinSource) prompt(req eid.PINRequest) ([]byte, error) {
	if req.PINPad {
		fmt.Fprintln(s.out, pinPadNotice(req))
		return nil, nil
	}
	if req.Purpose != eid.PurposeChangeNew || s.fd != nil {
		return s.read(pinQuestion(req))
	}
	pin, err := s.read(pinQuestion(req))
	if err != nil {
		return nil, err
	}
	again, err := s.read("New PIN again: ")
	if err != nil {
		clear(pin)
		return nil, err
	}
	defer clear(again)
	if subtle.ConstantTimeCompare(pin, again) != 1 {
		clear(pin)
		return nil, &pinInputError{errors.New("the two new PINs differ; the PIN was not changed")}
	}
	return pin, nil
}

// read gets one PIN and refuses anything but digits. Errors never hold
// the PIN.
func (s *pinSource) read(question string) ([]byte, error) {
	var pin []byte
	var err error
	if s.fd != nil {
		pin, err = readPINLine(s.fd, s.fdName)
	} else {
		pin, err = s.terminal(question)
	}
	if err != nil {
		return nil, &pinInputError{err}
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			clear(pin)
			return nil, &pinInputError{errors.New("the PIN may contain only the digits 0 to 9")}
		}
	}
	return pin, nil
}

// pinInputError is a failure to get the PIN from the citizen; the CLI
// prints it as is, without the library's context around it.
type pinInputError struct{ err error }

func (e *pinInputError) Error() string { return e.err.Error() }
func (e *pinInputError) Unwrap() error { return e.err }

// readPINLine reads up to a newline one byte at a time, so nothing past
// this PIN is consumed (the next line may be the new PIN) and the PIN is
// in no buffer but the one returned. A trailing "\r\n" or "\n" is cut.
func readPINLine(r io.Reader, name string) ([]byte, error) {
	line := make([]byte, 0, maxPINLine)
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 && b[0] == '\n' {
			break
		}
		if n == 1 {
			if len(line) == maxPINLine {
				clear(line)
				return nil, fmt.Errorf("the line on %s is too long for a PIN", name)
			}
			line = append(line, b[0])
		}
		if errors.Is(err, io.EOF) && len(line) > 0 {
			break
		}
		if err != nil {
			clear(line)
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("no PIN on %s (end of input)", name)
			}
			return nil, fmt.Errorf("reading the PIN from %s: %w", name, err)
		}
	}
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line[len(line)-1] = 0
		line = line[:len(line)-1]
	}
	return line, nil
}

// readTerminalPIN asks on stderr and reads stdin with echo off.
func readTerminalPIN(question string) ([]byte, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return nil, errors.New("no terminal to type the PIN on; give it on a file descriptor with --pin-fd N")
	}
	fmt.Fprint(os.Stderr, question)
	pin, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return nil, fmt.Errorf("reading the PIN from the terminal: %w", err)
	}
	return pin, nil
}
