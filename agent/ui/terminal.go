package ui

import (
	"context"
	"fmt"
	"io"
)

// Terminal asks on the controlling terminal (/dev/tty on Unix, the
// console on Windows), not on stdin/stdout: those may be pipes to a
// script, and a PIN must come from the citizen's keyboard.
//
// The terminal is put in raw mode while a question is shown, so nothing
// typed is echoed and Ctrl-C cancels the question instead of killing the
// agent with echo off; the previous mode is always restored.
//
// A read of the terminal that the system cannot interrupt (the Windows
// console; /dev/tty where the poller does not take it) is abandoned when
// ctx ends: Ask returns at once and restores the terminal mode; the
// abandoned goroutine wipes the next key it reads, stops there and
// closes the terminal. Nothing it reads is ever returned.
type Terminal struct {
	open func() (*console, error) // the controlling terminal; a seam for tests
}

// console is an open terminal.
type console struct {
	in        io.Reader
	out       io.Writer
	makeRaw   func() (restore func(), err error)
	interrupt func() bool // makes a pending read of in fail; false: cannot
	close     func()
}

// NewTerminal checks that there is a terminal to ask on.
func NewTerminal() (*Terminal, error) {
	t := &Terminal{open: openConsole}
	c, err := t.open()
	if err != nil {
		return nil, err
	}
	c.close()
	return t, nil
}

type termResult struct {
	pin []byte
	err error
}

// Ask shows q on the terminal and reads the answer.
func (t *Terminal) Ask(ctx context.Context, q Question) ([]byte, error) {
	if err := checkQuestion(q); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctxErr(ctx)
	}
	open := t.open
	if open == nil {
		open = openConsole
	}
	c, err := open()
	if err != nil {
		return nil, err
	}
	restore, err := c.makeRaw()
	if err != nil {
		c.close()
		return nil, fmt.Errorf("terminal UI: cannot turn off echo: %w", err)
	}
	done := make(chan termResult)
	abandon := make(chan struct{})
	go func() {
		pin, err := converse(ctxReader{ctx, c.in}, c.out, q)
		select {
		case done <- termResult{pin, err}:
		case <-abandon:
			clear(pin)
			c.close()
		}
	}()
	select {
	case r := <-done:
		restore()
		c.close()
		return r.pin, r.err
	case <-ctx.Done():
	}
	if c.interrupt() {
		r := <-done
		clear(r.pin)
		restore()
		c.close()
	} else {
		restore()
		close(abandon)
	}
	return nil, ctxErr(ctx)
}

// ctxReader stops reading once ctx has ended: what a read that ends
// after it brings is wiped, not used.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.ctx.Err() != nil {
		clear(p[:n])
		return 0, c.ctx.Err()
	}
	return n, err
}
