package installer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Kinds of Item.
const (
	KindDir      = "dir"      // a directory the installation created
	KindFile     = "file"     // a file it wrote
	KindEnable   = "enable"   // `systemctl --user enable` of a unit
	KindRegistry = "registry" // a string value under HKEY_CURRENT_USER
	KindHook     = "hook"     // a caller's step (native messaging)
)

// Item is one thing an installation added; the manifest lists them in
// the order they were made.
type Item struct {
	Kind   string `json:"kind"`
	Path   string `json:"path,omitempty"`   // dir, file
	SHA256 string `json:"sha256,omitempty"` // file: what was written
	Key    string `json:"key,omitempty"`    // registry key
	Name   string `json:"name,omitempty"`   // enable: unit; registry: value; hook: its name
	Value  string `json:"value,omitempty"`  // registry data
}

// same tells whether a and b are the same thing (whatever its content).
func (a Item) same(b Item) bool {
	return a.Kind == b.Kind && a.Path == b.Path && a.Key == b.Key && a.Name == b.Name
}

// Manifest is the record of an installation (install.json).
type Manifest struct {
	Version     string    `json:"version"`
	Exe         string    `json:"exe"`
	InstalledAt time.Time `json:"installedAt"`
	Items       []Item    `json:"items"`
}

// find returns the item that is the same thing as it, if listed.
func (m *Manifest) find(it Item) (Item, bool) {
	if m == nil {
		return Item{}, false
	}
	for _, x := range m.Items {
		if x.same(it) {
			return x, true
		}
	}
	return Item{}, false
}

// ErrNotInstalled: no manifest, so nothing to uninstall.
var ErrNotInstalled = errors.New("eidbridge is not installed for this user")

// ReadManifest reads the manifest; ErrNotInstalled when there is none.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (no %s)", ErrNotInstalled, path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the installation record: %w", err)
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("installation record %s is damaged (%v): remove what it lists by hand, "+
			"or delete it and run `eidbridge install` again", path, err)
	}
	return &m, nil
}

// writeManifest writes m atomically.
func writeManifest(path string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("writing the installation record: %w", err)
	}
	return nil
}
