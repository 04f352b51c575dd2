//go:build unix && !darwin

package ui

import (
	"errors"
	"os"
	"os/exec"
)

// dialogPrograms are the programs zenity drives on Linux and the BSDs.
var dialogPrograms = []string{"zenity", "qarma", "matedialog"}

// nativeAvailable checks for a dialog program and a graphical session.
// Without the session the program would exit as if the citizen had
// cancelled, hiding the real cause.
func nativeAvailable() error {
	found := false
	for _, name := range dialogPrograms {
		if _, err := exec.LookPath(name); err == nil {
			found = true
			break
		}
	}
	if !found {
		return errors.New("native UI: no dialog program found: install the zenity package " +
			"(Debian, Ubuntu: apt install zenity; qarma or matedialog also work), " +
			"or use the terminal UI or exec:COMMAND")
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("native UI: no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set); " +
			"use the terminal UI or exec:COMMAND")
	}
	return nil
}
