package installer

import (
	"errors"
	"fmt"

	"github.com/kardianos/service"
)

// State is what Status found.
type State struct {
	// Manifest is the installation record; nil when not installed.
	Manifest *Manifest
	Running  bool
	// Service is the service manager's view in a few words.
	Service string
}

// Status reads the manifest and asks the service manager about the agent.
func (in *Installer) Status() (State, error) {
	var st State
	m, err := ReadManifest(in.Layout.ManifestPath())
	switch {
	case err == nil:
		st.Manifest = m
	case !errors.Is(err, ErrNotInstalled):
		return st, err
	}
	s, err := in.Control.Status()
	switch {
	case s == service.StatusRunning:
		st.Running, st.Service = true, "running"
	case s == service.StatusStopped:
		st.Service = "stopped"
	case errors.Is(err, service.ErrNotInstalled):
		st.Service = "not installed"
	case err != nil:
		st.Service = fmt.Sprintf("unknown (%v)", err)
	default:
		st.Service = "unknown"
	}
	return st, nil
}

// Start starts the installed agent now.
func (in *Installer) Start() error {
	if err := in.Control.Start(); err != nil {
		return fmt.Errorf("starting the agent: %w", err)
	}
	return nil
}

// Stop stops the agent until the next login or Start.
func (in *Installer) Stop() error {
	if err := in.Control.Stop(); err != nil {
		return fmt.Errorf("stopping the agent: %w", err)
	}
	return nil
}
