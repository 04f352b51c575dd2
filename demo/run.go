package demo

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/eidbridge/eidbridge/agent/ui"
)

// Run checks cfg, then runs the demo until ctx ends (Ctrl-C) or one of
// its servers fails: it prints the banner on stdout, its notes and log on
// stderr, and makes that log slog's default, which the agent's dialogs
// log through.
func Run(ctx context.Context, cfg Config) error {
	if err := cfg.check(); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log) // the UI implementations log through the default
	// The UI first: without a way to ask the citizen, nothing else is worth starting.
	var dialogs ui.UI
	var err error
	if !cfg.AutoPIN {
		if dialogs, err = chooseDialogs(&cfg, os.Stderr); err != nil {
			return err
		}
	}
	dir, cleanup, err := dataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer cleanup()
	d, err := prepare(cfg, dir, log)
	if err != nil {
		return err
	}
	if cfg.AutoPIN {
		if dialogs, err = d.autoPINUI(); err != nil {
			d.close() // serve closes it otherwise
			return err
		}
	}
	return d.serve(ctx, dialogs)
}

// dataDir is DIR, created when needed and kept, or a temporary
// directory removed by cleanup.
func dataDir(dir string) (string, func(), error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", nil, fmt.Errorf("--data: %w", err)
		}
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "eidbridge-demo-")
	if err != nil {
		return "", nil, fmt.Errorf("temporary data directory: %w", err)
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}
