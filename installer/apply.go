package installer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// applier makes the changes of one Install and collects their items.
type applier struct {
	in    *Installer
	ctx   context.Context
	j     *journal
	old   *Manifest
	items []Item
	seen  map[string]bool // directories already recorded
}

// apply makes every change for l.GOOS, in the order a reader of the
// manifest expects: configuration, service, hooks.
func (in *Installer) apply(ctx context.Context, j *journal, old *Manifest) ([]Item, error) {
	a := &applier{in: in, ctx: ctx, j: j, old: old, seen: map[string]bool{}}
	l := in.Layout
	if in.Config != nil {
		if err := a.file(l.ConfigPath, in.Config, 0o600, true); err != nil {
			return nil, err
		}
	}
	var err error
	switch l.GOOS {
	case "linux":
		note := "Installed by `eidbridge install`; `eidbridge uninstall` removes it."
		if err = a.file(l.UnitPath(), []byte(SystemdUnit(l.AgentExe, note)), 0o644, false); err == nil {
			err = a.enable(UnitName)
		}
	case "darwin":
		err = a.file(l.PlistPath(), []byte(LaunchAgentPlist(l.AgentExe, l.LogPath())), 0o644, false)
	case "windows":
		err = a.registry(RunKey, RunValue, l.RunCommand())
	default:
		err = fmt.Errorf("unsupported system %s", l.GOOS)
	}
	for _, h := range in.Hooks {
		if err != nil {
			break
		}
		err = a.hook(h)
	}
	if err == nil {
		err = a.dirs(l.StateDir) // for the manifest
	}
	return a.items, err
}

// file writes data to path. keep leaves an existing file alone: it stays
// listed only if an earlier installation wrote it.
func (a *applier) file(path string, data []byte, mode fs.FileMode, keep bool) error {
	prev, had, err := readIfExists(path)
	if err != nil {
		return err
	}
	if err := a.dirs(filepath.Dir(path)); err != nil {
		return err
	}
	if had && keep {
		if it, ok := a.old.find(Item{Kind: KindFile, Path: path}); ok {
			a.items = append(a.items, it)
		}
		a.in.logf("kept the existing %s", path)
		return nil
	}
	if err := writeAtomic(path, data, mode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	a.j.add(func() error { return restoreFile(path, prev, had, mode) })
	a.items = append(a.items, Item{Kind: KindFile, Path: path, SHA256: digest(data)})
	a.in.logf("wrote %s", path)
	return nil
}

// dirs creates dir and its missing parents, and records them.
func (a *applier) dirs(dir string) error {
	items, err := a.in.makeDirs(a.j, dir)
	if err != nil {
		return err
	}
	made := map[string]bool{}
	for _, it := range items {
		made[it.Path] = true
	}
	a.record(dir, made)
	return nil
}

// record lists the ancestors of dir (dir included) that were made now
// (in made) or that an earlier installation listed, outermost first, so
// that uninstall can remove them.
func (a *applier) record(dir string, made map[string]bool) {
	var chain []Item
	for p := dir; filepath.Dir(p) != p; p = filepath.Dir(p) {
		if _, old := a.old.find(Item{Kind: KindDir, Path: p}); made[p] || old {
			chain = append([]Item{{Kind: KindDir, Path: p}}, chain...)
		}
	}
	for _, it := range chain {
		if !a.seen[it.Path] {
			a.seen[it.Path] = true
			a.items = append(a.items, it)
		}
	}
}

// makeDirs creates dir with its missing parents and returns them, the
// outermost first; undoing removes them again.
func (in *Installer) makeDirs(j *journal, dir string) ([]Item, error) {
	var missing []string
	for p := dir; ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("checking %s: %w", p, err)
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	var items []Item
	for i := len(missing) - 1; i >= 0; i-- {
		p := missing[i]
		if err := os.Mkdir(p, 0o700); err != nil {
			return items, fmt.Errorf("creating %s: %w", p, err)
		}
		j.add(func() error { return removeEmptyDir(p) })
		items = append(items, Item{Kind: KindDir, Path: p})
	}
	return items, nil
}

// enable enables the unit; undoing disables it unless it was enabled
// before (by an earlier installation).
func (a *applier) enable(unit string) error {
	state, _ := a.in.Runner.Run(a.ctx, "systemctl", "--user", "is-enabled", unit)
	if _, err := a.in.Runner.Run(a.ctx, "systemctl", "--user", "enable", unit); err != nil {
		return fmt.Errorf("enabling %s (is systemd installed?): %w", unit, err)
	}
	if strings.TrimSpace(state) != "enabled" {
		a.j.add(func() error {
			_, err := a.in.Runner.Run(context.Background(), "systemctl", "--user", "disable", unit)
			return err
		})
	}
	a.items = append(a.items, Item{Kind: KindEnable, Name: unit})
	a.in.logf("enabled %s for your logins", unit)
	return nil
}

// registry sets an HKCU string value; undoing restores the old one.
func (a *applier) registry(key, name, value string) error {
	reg := a.in.Registry
	if reg == nil {
		return errors.New("no registry on this system")
	}
	prev, had, err := reg.Value(key, name)
	if err != nil {
		return fmt.Errorf(`reading HKCU\%s\%s: %w`, key, name, err)
	}
	if err := reg.SetValue(key, name, value); err != nil {
		return fmt.Errorf(`writing HKCU\%s\%s: %w`, key, name, err)
	}
	a.j.add(func() error {
		if had {
			return reg.SetValue(key, name, prev)
		}
		return reg.DeleteValue(key, name)
	})
	a.items = append(a.items, Item{Kind: KindRegistry, Key: key, Name: name, Value: value})
	a.in.logf(`set HKCU\%s\%s`, key, name)
	return nil
}

// hook runs h. Its undo is journaled first, since Do may fail halfway,
// and only when no earlier installation ran it: rolling back a reinstall
// leaves the earlier registration in place. The directories missing for
// h.Paths are journaled before it, so a rollback removes them after Undo
// has emptied them.
func (a *applier) hook(h Hook) error {
	missing := map[string]bool{}
	for _, p := range h.Paths {
		for d := filepath.Dir(p); !exists(d); d = filepath.Dir(d) {
			missing[d] = true
		}
	}
	outerFirst := slices.SortedFunc(maps.Keys(missing), func(x, y string) int { return len(x) - len(y) })
	for _, d := range outerFirst {
		a.j.add(func() error { return removeEmptyDir(d) })
	}
	if _, ok := a.old.find(Item{Kind: KindHook, Name: h.Name}); !ok {
		a.j.add(func() error { return h.Undo(context.Background()) })
	}
	if err := h.Do(a.ctx); err != nil {
		return fmt.Errorf("%s: %w", h.Name, err)
	}
	a.items = append(a.items, Item{Kind: KindHook, Name: h.Name})
	for _, p := range h.Paths { // the directories Do made, or an earlier Do
		a.record(filepath.Dir(p), missing)
	}
	a.in.logf("registered %s", h.Name)
	return nil
}
