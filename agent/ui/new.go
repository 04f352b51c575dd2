package ui

import (
	"fmt"
	"strings"
)

// New returns the UI a configuration or command-line value names:
// "native" (the desktop's dialogs), "terminal" (the controlling
// terminal), or "exec:COMMAND" (an external command answers; see Exec).
// It fails at once, with what to do, when the UI cannot work here, so a
// misconfigured agent stops at start rather than at the first website.
func New(mode string) (UI, error) {
	switch {
	case mode == "native":
		return orNil(NewNative())
	case mode == "terminal":
		return orNil(NewTerminal())
	case strings.HasPrefix(mode, "exec:"):
		return orNil(NewExec(strings.TrimPrefix(mode, "exec:")))
	}
	return nil, fmt.Errorf("unknown UI %q: use native, terminal or exec:COMMAND", mode)
}

// orNil keeps a failed constructor's nil pointer out of the interface,
// where it would not compare equal to nil.
func orNil[T UI](u T, err error) (UI, error) {
	if err != nil {
		return nil, err
	}
	return u, nil
}
