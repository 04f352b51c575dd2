package main

import (
	"fmt"
	"io"

	"github.com/eidbridge/eidbridge/agent/ui"
)

// demoDialogs is how the demo's agent asks the citizen. With --ui auto
// (the default) that is the desktop's dialogs where a window can be
// shown, else this terminal, said in one line: a demo over SSH must still
// run, with the PIN typed where the citizen is.
func demoDialogs(f *demoFlags, stderr io.Writer) (ui.UI, error) {
	if f.uiMode != "auto" {
		u, err := ui.New(f.uiMode)
		if err != nil {
			return nil, noDialogs(err)
		}
		return u, nil
	}
	u, why, err := ui.NewAuto()
	if err != nil {
		return nil, noDialogs(err)
	}
	f.uiMode = "native"
	if why != "" {
		f.uiMode = "terminal"
		fmt.Fprintf(stderr, "demo: %s here, so the agent asks for your consent and the PIN in this terminal\n", why)
	}
	return u, nil
}
