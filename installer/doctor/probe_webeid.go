package doctor

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/eidbridge/eidbridge/installer"
	"github.com/eidbridge/eidbridge/nmhost"
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
	// OldLauncher: ours, but its launcher was written before nm-host
	// took --webeid, so the host speaks Web eID only to the official
	// extension IDs and any other caller times out.
	OldLauncher bool
	// ExtraIDs are the extensions ours allows besides the official Web
	// eID ones (--extension-id).
	ExtraIDs []string
}

// webEIDStoreIDs are the official Web eID extension's IDs, which every
// eu.webeid registration of eidbridge's allows.
var webEIDStoreIDs = []string{nmhost.WebEIDChromeID, nmhost.WebEIDEdgeID, nmhost.WebEIDFirefoxID}

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
	m, err := loadHostManifest(w.Manifest, s.Host)
	w.Program, w.Err = m.Path, err
	w.ProgramOK = w.Err == nil && isExecutable(goos, w.Program)
	w.Ours = w.Err == nil && s.Launcher != "" && filepath.Clean(w.Program) == filepath.Clean(s.Launcher)
	if w.Ours {
		w.useOurs(m, found[1:])
	}
}

// useOurs fills what only eidbridge's registration m tells: what it
// hides, whom it allows, and whether its launcher is an old one.
func (w *WebEIDInfo) useOurs(m hostManifest, hidden []string) {
	if len(hidden) > 0 {
		w.Hidden = hidden[0]
	}
	w.ExtraIDs = slices.DeleteFunc(m.extensionIDs(), func(id string) bool { return slices.Contains(webEIDStoreIDs, id) })
	if w.ProgramOK {
		current, err := launcherPassesWebEID(w.Program)
		// A script the browser cannot read, it cannot run either.
		w.ProgramOK, w.OldLauncher = err == nil, err == nil && !current
	}
}

// launcherPassesWebEID tells whether an eu.webeid launcher script runs
// `nm-host --webeid`. Older eidbridge versions wrote the same file, at
// the same path, running `nm-host` alone; their host speaks Web eID only
// to the official extension IDs. Only command lines count: the comment
// both forms carry names `nm-host install --webeid`. The word after
// nm-host is what the host itself looks at (nmhost.WebEIDMarker).
func launcherPassesWebEID(path string) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("reading the launcher: %w", err)
	}
	for line := range strings.Lines(string(b)) {
		words := strings.Fields(line)
		if len(words) == 0 || isScriptComment(words[0]) {
			continue
		}
		for i := 1; i < len(words); i++ {
			if words[i-1] == "nm-host" && words[i] == nmhost.WebEIDMarker {
				return true, nil
			}
		}
	}
	return false, nil
}

// isScriptComment tells whether a line starting with word is a comment
// in a shell script (#) or a batch file (rem, ::).
func isScriptComment(word string) bool {
	w := strings.ToLower(strings.TrimPrefix(word, "@"))
	return strings.HasPrefix(w, "#") || w == "rem" || strings.HasPrefix(w, "::")
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
