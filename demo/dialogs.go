package demo

import (
	"fmt"
	"io"
	"os"

	"github.com/eidbridge/eidbridge/agent/ui"
)

// chooseDialogs is how the demo's agent asks the citizen. With UI auto
// (the default) that is the desktop's dialogs where a window can be
// shown, else this terminal, said in one line: a demo over SSH must still
// run, with the PIN typed where the citizen is. It sets cfg.UI to the
// choice, for the banner.
func chooseDialogs(cfg *Config, stderr io.Writer) (ui.UI, error) {
	if cfg.UI != "auto" {
		u, err := ui.New(cfg.UI)
		if err != nil {
			return nil, noDialogs(err)
		}
		return u, nil
	}
	u, why, err := ui.NewAuto()
	if err != nil {
		return nil, noDialogs(err)
	}
	cfg.UI = "native"
	if why != "" {
		cfg.UI = "terminal"
		fmt.Fprintf(stderr, "demo: %s here, so the agent asks for your consent and the PIN in this terminal\n", why)
	}
	return u, nil
}

// noDialogs explains what to do where the agent cannot show its dialogs.
// It never falls back to answering the PIN: that takes --auto-pin.
func noDialogs(err error) error {
	ci := ""
	if os.Getenv("CI") != "" {
		ci = "on CI, "
	}
	return fmt.Errorf("%w. The agent cannot ask for the PIN here: %srun `eidbridge demo --auto-pin` "+
		"(make demo DEMO_FLAGS=--auto-pin), which answers the virtual card's PIN by itself", err, ci)
}
