package ui

import (
	"fmt"
	"os"
	"runtime"
)

// NewAuto returns the desktop's dialogs where a window can be shown, else
// the terminal: an agent started over SSH still asks, where the citizen
// is. why says, when it is the terminal, what kept the windows away.
func NewAuto() (u UI, why string, err error) {
	if n, err := NewNative(); err == nil {
		return n, "", nil
	}
	why = "no graphical display"
	if runtime.GOOS != "linux" || os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "" {
		why = "no dialog program (apt install zenity)"
	}
	t, err := NewTerminal()
	if err != nil {
		return nil, why, fmt.Errorf("%s and no terminal to ask in", why)
	}
	return t, why, nil
}
