package installer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Uninstall stops the agent and removes what the manifest lists, last
// first, then the manifest. A file the citizen changed since it was
// written, or a directory that holds other things now, stays (and a note
// says so). When something cannot be removed, the manifest keeps what
// remains, so that running Uninstall again finishes the job.
func (in *Installer) Uninstall(ctx context.Context) (notes []string, err error) {
	m, err := ReadManifest(in.Layout.ManifestPath())
	if err != nil {
		return nil, err
	}
	var left, dirs []Item
	if err := in.Control.Stop(); err != nil {
		notes = append(notes, stillRunningNote(in.Layout.GOOS, err))
	} else {
		in.logf("stopped the agent")
	}
	var errs []error
	for i := len(m.Items) - 1; i >= 0; i-- {
		it := m.Items[i]
		if it.Kind == KindDir {
			dirs = append(dirs, it) // once the manifest is gone
			continue
		}
		note, err := in.remove(ctx, it)
		if err != nil {
			errs = append(errs, err)
			left = append([]Item{it}, left...)
		}
		if note != "" {
			notes = append(notes, note)
		}
	}
	if in.Layout.GOOS == "linux" {
		_, _ = in.Runner.Run(ctx, "systemctl", "--user", "daemon-reload") // no manager: nothing to forget
	}
	if len(errs) > 0 {
		m.Items = append(removeKind(m.Items, KindDir, true), left...)
		if werr := writeManifest(in.Layout.ManifestPath(), m); werr != nil {
			errs = append(errs, werr)
		}
		return notes, fmt.Errorf("uninstalling: %w (run `eidbridge uninstall` again once fixed)", errors.Join(errs...))
	}
	if err := os.Remove(in.Layout.ManifestPath()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return notes, fmt.Errorf("removing the installation record: %w", err)
	}
	for _, d := range dirs {
		if err := removeEmptyDir(d.Path); err != nil {
			notes = append(notes, fmt.Sprintf("kept %s: %v", d.Path, err))
		} else if _, err := os.Stat(d.Path); err == nil {
			notes = append(notes, fmt.Sprintf("kept %s: it holds other files", d.Path))
		}
	}
	return notes, nil
}

// stillRunningNote tells the citizen that an agent may outlive its
// files, and how to end it: the files go regardless, so it does not start
// again at the next login.
func stillRunningNote(goos string, err error) string {
	how := "it stops when you log out"
	if goos == "windows" {
		how += ", or end eidbridgew.exe in Task Manager"
	}
	return fmt.Sprintf("the agent could not be stopped (%v) and may still be running: %s", err, how)
}

// removeKind keeps the items of kind (keep) or the others (!keep).
func removeKind(items []Item, kind string, keep bool) []Item {
	var out []Item
	for _, it := range items {
		if (it.Kind == kind) == keep {
			out = append(out, it)
		}
	}
	return out
}

// remove takes one item away; note says why it stayed, if it did.
func (in *Installer) remove(ctx context.Context, it Item) (note string, err error) {
	switch it.Kind {
	case KindFile:
		now, err := fileDigest(it.Path)
		switch {
		case err != nil:
			return "", fmt.Errorf("reading %s: %w", it.Path, err)
		case now == "":
			return "", nil
		case now != it.SHA256:
			return fmt.Sprintf("kept %s: it was changed after the installation", it.Path), nil
		}
		if err := os.Remove(it.Path); err != nil {
			return "", fmt.Errorf("removing %s: %w", it.Path, err)
		}
		in.logf("removed %s", it.Path)
	case KindEnable:
		if _, err := in.Runner.Run(ctx, "systemctl", "--user", "disable", it.Name); err != nil {
			return "", fmt.Errorf("disabling %s: %w", it.Name, err)
		}
		in.logf("disabled %s", it.Name)
	case KindRegistry:
		return in.removeValue(it)
	case KindHook:
		return "", in.undoHook(ctx, it.Name)
	case KindDir:
		return "", removeEmptyDir(it.Path)
	default:
		return "", fmt.Errorf("installation record: unknown kind %q (written by a newer eidbridge?)", it.Kind)
	}
	return "", nil
}

func (in *Installer) removeValue(it Item) (string, error) {
	if in.Registry == nil {
		return "", errors.New("no registry on this system")
	}
	v, ok, err := in.Registry.Value(it.Key, it.Name)
	switch {
	case err != nil:
		return "", fmt.Errorf(`reading HKCU\%s\%s: %w`, it.Key, it.Name, err)
	case !ok:
		return "", nil
	case v != it.Value:
		return fmt.Sprintf(`kept HKCU\%s\%s: it was changed after the installation`, it.Key, it.Name), nil
	}
	if err := in.Registry.DeleteValue(it.Key, it.Name); err != nil {
		return "", fmt.Errorf(`removing HKCU\%s\%s: %w`, it.Key, it.Name, err)
	}
	in.logf(`removed HKCU\%s\%s`, it.Key, it.Name)
	return "", nil
}

func (in *Installer) undoHook(ctx context.Context, name string) error {
	for _, h := range in.Hooks {
		if h.Name == name {
			if err := h.Undo(ctx); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			in.logf("unregistered %s", name)
			return nil
		}
	}
	return fmt.Errorf("%s: this eidbridge cannot undo it (installed by another version?)", name)
}

// removeStale removes what the old installation had and this one does
// not (an older version's files). It is best effort: the new
// installation is complete either way.
func (in *Installer) removeStale(ctx context.Context, old *Manifest, items []Item) []string {
	if old == nil {
		return nil
	}
	now := &Manifest{Items: items}
	var notes []string
	for i := len(old.Items) - 1; i >= 0; i-- {
		it := old.Items[i]
		if _, ok := now.find(it); ok {
			continue
		}
		note, err := in.remove(ctx, it)
		if err != nil {
			note = fmt.Sprintf("could not remove what the earlier installation had: %v", err)
		}
		if note != "" {
			notes = append(notes, note)
		}
	}
	return notes
}
