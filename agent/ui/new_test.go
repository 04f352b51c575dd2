package ui

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

func TestNewExec(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on PATH")
	}
	u, err := New(`exec:sh -c 'echo "{\"allow\": true}"' kiosk`)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e, ok := u.(*Exec)
	if !ok || strings.Join(e.Args, "|") != `sh|-c|echo "{\"allow\": true}"|kiosk` {
		t.Errorf("New = %#v; want an Exec running sh with three arguments", u)
	}
}

func TestNewRefuses(t *testing.T) {
	tests := []struct{ mode, want string }{
		{"", `unknown UI ""`},
		{"gui", `unknown UI "gui": use native, terminal or exec:COMMAND`},
		{"Native", `unknown UI "Native"`},
		{"exec:", "no command after exec:"},
		{"exec:   ", "no command after exec:"},
		{"exec:ask 'pin", "unclosed ' quote"},
		{"exec:/nonexistent/eidbridge-ask", `cannot run "/nonexistent/eidbridge-ask"`},
		{"exec:eidbridge-no-such-program", `cannot run "eidbridge-no-such-program"`},
	}
	for _, tt := range tests {
		u, err := New(tt.mode)
		if u != nil || err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%q) = %v, %v; want an error with %q", tt.mode, u, err, tt.want)
		}
	}
}

// New("terminal") succeeds exactly when there is a terminal to open.
func TestNewTerminal(t *testing.T) {
	c, openErr := openConsole()
	if openErr == nil {
		c.close()
	}
	u, err := New("terminal")
	switch {
	case openErr != nil && (u != nil || err == nil || !strings.Contains(err.Error(), "no terminal")):
		t.Errorf("no terminal (%v): New = %v, %v; want a clear error", openErr, u, err)
	case openErr == nil && err != nil:
		t.Errorf("a terminal is there: New = %v", err)
	case openErr == nil:
		if _, ok := u.(*Terminal); !ok {
			t.Errorf("New(terminal) = %T", u)
		}
	}
	if openErr != nil && errors.Is(err, ErrCancelled) {
		t.Error("no terminal is not a cancel")
	}
}
