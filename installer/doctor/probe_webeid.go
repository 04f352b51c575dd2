package doctor

import (
	"os"
	"path/filepath"

	"github.com/eidbridge/eidbridge/installer"
)

// WebEIDSetup is where the browsers look for the Web eID native
// application, and the launcher `eidbridge nm-host install --webeid`
// writes; Host is its name (eu.webeid).
type WebEIDSetup struct {
	Host      string
	Locations []HostLocation // this user's registration, per browser
	Launcher  string
}

// WebEIDInfo is which application answers Web eID sites in one browser.
type WebEIDInfo struct {
	Browser      string
	BrowserFound bool
	// Manifest is the registration the browser uses, "" when none, and
	// Program the program it starts.
	Manifest  string
	Program   string
	ProgramOK bool
	Err       error // the manifest is there but unusable
	Ours      bool  // eidbridge, by nm-host install --webeid
	// Hidden is the registration the browser would use without this one
	// (web-eid-app's for all users, typically); "" when none.
	Hidden string
}

// ProbeWebEID finds, in each browser's own order, the eu.webeid
// registration it uses: this user's first, then the one for all users
// (systemDirs on Linux and macOS, HKEY_LOCAL_MACHINE on Windows).
func ProbeWebEID(goos string, s WebEIDSetup, user, machine installer.Registry, systemDirs []installer.SystemHost) []WebEIDInfo {
	system := map[string]string{}
	for _, d := range systemDirs {
		system[d.ID] = filepath.Join(d.Dir, s.Host+".json")
	}
	var out []WebEIDInfo
	for _, l := range s.Locations {
		w := WebEIDInfo{Browser: l.Browser}
		var candidates []string
		w.BrowserFound, candidates = userRegistration(l, user)
		if l.RegKey != "" {
			if p, ok, _ := regValue(machine, l.RegKey); ok {
				candidates = append(candidates, p)
			}
		} else if p, ok := system[l.ID]; ok {
			candidates = append(candidates, p)
		}
		w.use(goos, s, existing(candidates))
		out = append(out, w)
	}
	return out
}

// use fills w from the registrations found, the one the browser uses first.
func (w *WebEIDInfo) use(goos string, s WebEIDSetup, found []string) {
	if len(found) == 0 {
		return
	}
	w.Manifest = found[0]
	w.Program, w.Err = readHostManifest(w.Manifest, s.Host)
	w.ProgramOK = w.Err == nil && isExecutable(goos, w.Program)
	w.Ours = w.Err == nil && s.Launcher != "" && filepath.Clean(w.Program) == filepath.Clean(s.Launcher)
	if w.Ours && len(found) > 1 {
		w.Hidden = found[1]
	}
}

func existing(paths []string) []string {
	var out []string
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}
