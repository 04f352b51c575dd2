package doctor

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/eidbridge/eidbridge/installer"
)

// hostManifest is the part of a native-messaging host manifest the
// browsers need to start the host.
type hostManifest struct {
	Name              string   `json:"name"`
	Path              string   `json:"path"`
	Type              string   `json:"type"`
	AllowedOrigins    []string `json:"allowed_origins"`    // Chromium
	AllowedExtensions []string `json:"allowed_extensions"` // Firefox
}

// readHostManifest checks a manifest as a browser would and returns the
// program it starts.
func readHostManifest(path, host string) (string, error) {
	m, err := loadHostManifest(path, host)
	return m.Path, err
}

// loadHostManifest reads and checks a manifest as a browser would; its
// Path is made absolute (a relative path is relative to the manifest,
// which Windows allows).
func loadHostManifest(path, host string) (hostManifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return hostManifest{}, err
	}
	var m hostManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return hostManifest{}, fmt.Errorf("not valid JSON: %w", err)
	}
	switch {
	case m.Name != host:
		return hostManifest{}, fmt.Errorf("its name is %q, want %q", m.Name, host)
	case m.Type != "stdio":
		return hostManifest{}, fmt.Errorf("its type is %q, want stdio", m.Type)
	case m.Path == "":
		return hostManifest{}, fmt.Errorf("it names no program (path)")
	case len(m.AllowedOrigins) == 0 && len(m.AllowedExtensions) == 0:
		return hostManifest{}, fmt.Errorf("it allows no extension")
	}
	if !filepath.IsAbs(m.Path) {
		m.Path = filepath.Join(filepath.Dir(path), m.Path)
	}
	return m, nil
}

// extensionIDs are the extensions m lets start the host: Chromium's
// origins as bare IDs, then Firefox's add-on IDs.
func (m hostManifest) extensionIDs() []string {
	var ids []string
	for _, o := range m.AllowedOrigins {
		ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(o, "chrome-extension://"), "/"))
	}
	return append(ids, m.AllowedExtensions...)
}

func isExecutable(goos, path string) bool {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	return goos == "windows" || fi.Mode()&0o111 != 0
}

func keyExists(reg installer.Registry, key string) bool {
	if reg == nil {
		return false
	}
	ok, _ := reg.KeyExists(key)
	return ok
}

// regValue reads a key's default value (the manifest path).
func regValue(reg installer.Registry, key string) (string, bool, error) {
	if reg == nil {
		return "", false, nil
	}
	return reg.Value(key, "")
}
