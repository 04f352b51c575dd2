//go:build !unix && !windows

package ui

import "errors"

func openConsole() (*console, error) {
	return nil, errors.New("terminal UI: not supported on this system; use exec:COMMAND")
}
