package installer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Hook is an extra installation step the caller provides, such as the
// native-messaging host registration. Undo reverses Do, also after Do
// failed halfway; both must be idempotent. Paths are the files Do
// writes: the directories it creates for them are recorded, and removed
// with the installation once empty.
type Hook struct {
	Name  string
	Do    func(ctx context.Context) error
	Undo  func(ctx context.Context) error
	Paths []string
}

// Installer installs, removes and controls the per-user agent.
type Installer struct {
	Layout  Layout
	Version string
	// Config is the default configuration, written only when none exists.
	Config   []byte
	Runner   Runner   // systemctl (Linux), netstat and friends (Windows)
	Registry Registry // Windows only
	Control  Control
	Hooks    []Hook
	// Log receives one line per change, for the citizen.
	Log io.Writer
	Now func() time.Time
}

// New is an Installer with the real runner, registry and service
// control of l.GOOS.
func New(l Layout, version string, config []byte) (*Installer, error) {
	in := &Installer{Layout: l, Version: version, Config: config, Runner: ExecRunner{},
		Log: io.Discard, Now: time.Now}
	switch l.GOOS {
	case "linux", "darwin":
		c, err := kardianosControl(l)
		if err != nil {
			return nil, err
		}
		in.Control = c
	case "windows":
		in.Registry = UserRegistry()
		in.Control = &processControl{l: l, run: in.Runner, reg: in.Registry, spawn: spawnDetached}
	default:
		return nil, fmt.Errorf("installing as a login agent is not supported on %s: run `eidbridge run` "+
			"from your session's startup programs", l.GOOS)
	}
	return in, nil
}

func (in *Installer) logf(format string, args ...any) {
	if in.Log != nil {
		fmt.Fprintf(in.Log, format+"\n", args...)
	}
}

// Install makes one correct installation, whatever was there before: it
// writes and enables the agent's unit (or plist, or Run value), the
// default configuration when there is none, runs the hooks, records all
// of it, removes what an older installation had that this one no longer
// needs, and starts the agent. When a step fails, the steps before it
// are undone and the error says what failed. Notes are things the
// citizen should know that did not make the installation fail (the
// agent could not be started now, a configuration was kept).
func (in *Installer) Install(ctx context.Context) (notes []string, err error) {
	if err := checkExe(in.Layout.GOOS, in.Layout.AgentExe); err != nil {
		return nil, err
	}
	old, err := ReadManifest(in.Layout.ManifestPath())
	if err != nil && !errors.Is(err, ErrNotInstalled) {
		return nil, err
	}
	j := &journal{}
	items, err := in.apply(ctx, j, old)
	if err == nil {
		m := &Manifest{Version: in.Version, Exe: in.Layout.Exe, InstalledAt: in.Now().UTC(), Items: items}
		err = in.writeManifestStep(j, m)
	}
	if err != nil {
		if rerr := j.rollback(); rerr != nil {
			return nil, fmt.Errorf("%w; undoing the earlier steps failed too: %v", err, rerr)
		}
		return nil, fmt.Errorf("%w (the earlier steps were undone)", err)
	}
	notes = append(notes, in.removeStale(ctx, old, items)...)
	notes = append(notes, in.activate(ctx)...)
	return notes, nil
}

// writeManifestStep writes m (apply made the state directory).
func (in *Installer) writeManifestStep(j *journal, m *Manifest) error {
	path := in.Layout.ManifestPath()
	prev, hadPrev, err := readIfExists(path)
	if err != nil {
		return err
	}
	if err := writeManifest(path, m); err != nil {
		return err
	}
	j.add(func() error { return restoreFile(path, prev, hadPrev, 0o600) })
	return nil
}

// activate reloads the service manager and (re)starts the agent so that
// an upgrade runs the new binary. Nothing here undoes the installation:
// the agent starts at the next login anyway.
func (in *Installer) activate(ctx context.Context) []string {
	later := "the agent will start at your next login"
	switch in.Layout.GOOS {
	case "linux":
		if _, err := in.Runner.Run(ctx, "systemctl", "--user", "daemon-reload"); err != nil {
			return []string{"no systemd user manager is reachable from this shell (" + firstLine(err) + "); " + later}
		}
	case "darwin":
		_ = in.Control.Stop() // launchctl load fails while the old job is loaded
		if err := in.Control.Start(); err != nil {
			return []string{"could not start the agent now (" + firstLine(err) + "); " + later}
		}
		in.logf("started the agent")
		return nil
	}
	if err := in.Control.Restart(); err != nil {
		return []string{"could not start the agent now (" + firstLine(err) + "); " + later}
	}
	in.logf("started the agent")
	return nil
}

// firstLine keeps a command's error short enough for one note.
func firstLine(err error) string {
	s := err.Error()
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// journal holds the undo actions of the steps done so far.
type journal struct{ undo []func() error }

func (j *journal) add(f func() error) { j.undo = append(j.undo, f) }

// rollback undoes every step, last first, and reports what could not be.
func (j *journal) rollback() error {
	var errs []error
	for i := len(j.undo) - 1; i >= 0; i-- {
		if err := j.undo[i](); err != nil {
			errs = append(errs, err)
		}
	}
	j.undo = nil
	return errors.Join(errs...)
}
