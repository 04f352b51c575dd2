package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/eidbridge/eidbridge/installer"
)

// placed is a file that, when it exists, means the agent is set up.
type placed struct{ path, by string }

// ProbeService finds how the agent is set up to start at login: a
// per-user installation (which wins, as systemd prefers the user's unit),
// or a package's for all users.
func ProbeService(ctx context.Context, l installer.Layout, run installer.Runner, reg installer.Registry) ServiceInfo {
	switch l.GOOS {
	case "linux":
		return probeSystemd(ctx, run, []placed{{l.UnitPath(), "eidbridge install"},
			{"/etc/systemd/user/" + installer.UnitName, "the administrator"},
			{"/usr/lib/systemd/user/" + installer.UnitName, "the package"}})
	case "darwin":
		for _, p := range []placed{{l.PlistPath(), "eidbridge install"},
			{"/Library/LaunchAgents/" + installer.LaunchdLabel + ".plist", "the package"}} {
			if _, err := os.Stat(p.path); err == nil {
				// RunAtLoad in the plist is what starts it at login.
				return ServiceInfo{Installed: true, Enabled: true, By: p.by, Where: p.path}
			}
		}
		return ServiceInfo{}
	case "windows":
		return probeRunValue(reg)
	}
	return ServiceInfo{Err: fmt.Errorf("no login service on %s", l.GOOS)}
}

func probeSystemd(ctx context.Context, run installer.Runner, places []placed) ServiceInfo {
	var s ServiceInfo
	for _, p := range places {
		if _, err := os.Stat(p.path); err == nil {
			s.Installed, s.By, s.Where = true, p.by, p.path
			break
		}
	}
	if !s.Installed {
		return s
	}
	// is-enabled reads the unit files and links; it needs no running
	// user manager. It exits non-zero for anything but enabled.
	out, err := run.Run(ctx, "systemctl", "--user", "is-enabled", installer.UnitName)
	s.State = strings.TrimSpace(firstLine(out))
	switch {
	case s.State == "enabled" || s.State == "enabled-runtime":
		s.Enabled = true
	case s.State == "":
		s.Err = fmt.Errorf("systemctl --user is-enabled: %v", err)
	}
	return s
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// probeRunValue reads the HKCU Run value and checks the program it names.
func probeRunValue(reg installer.Registry) ServiceInfo {
	if reg == nil {
		return ServiceInfo{Err: errors.New("the registry cannot be read")}
	}
	v, ok, err := reg.Value(installer.RunKey, installer.RunValue)
	if err != nil || !ok {
		return ServiceInfo{Err: err}
	}
	s := ServiceInfo{Installed: true, By: "eidbridge install or the installer", Where: `HKCU\` + installer.RunKey + `\` + installer.RunValue}
	exe := runValueProgram(v)
	if _, err := os.Stat(exe); err != nil {
		s.State = "its program " + exe + " is missing"
		return s
	}
	s.Enabled = true
	return s
}

// runValueProgram takes the program out of `"C:\path\x.exe" run`.
func runValueProgram(v string) string {
	if rest, ok := strings.CutPrefix(v, `"`); ok {
		p, _, _ := strings.Cut(rest, `"`)
		return p
	}
	p, _, _ := strings.Cut(v, " ")
	return p
}

// HostLocation is where one browser looks for this user's registration
// of the native-messaging host (from `eidbridge nm-host install`).
type HostLocation struct {
	ID      string // chrome, chromium, edge, brave, firefox
	Browser string // its name for people
	// Manifest is the manifest file; on Windows the registry value at
	// RegKey (under HKCU) names it.
	Manifest string
	RegKey   string
}

// ProbeNativeHosts looks for host's manifest where each browser looks:
// this user's registration, then (Linux) the one for all users that the
// packages install.
func ProbeNativeHosts(goos string, locs []HostLocation, host string, reg installer.Registry) []HostInfo {
	system := map[string]string{}
	if goos == "linux" {
		for _, d := range installer.SystemHostDirs() {
			system[d.ID] = filepath.Join(d.Dir, host+".json")
		}
	}
	var out []HostInfo
	for _, l := range locs {
		h := HostInfo{Browser: l.Browser}
		var candidates []string
		h.BrowserFound, candidates = userRegistration(l, reg)
		if p, ok := system[l.ID]; ok {
			candidates = append(candidates, p)
		}
		for _, p := range candidates {
			if _, err := os.Stat(p); err == nil {
				h.Manifest = p
				h.Program, h.Err = readHostManifest(p, host)
				h.ProgramOK = h.Err == nil && isExecutable(goos, h.Program)
				break
			}
		}
		out = append(out, h)
	}
	return out
}

// userRegistration says whether the browser of l seems installed for
// this user and where this user's registration names the manifest: the
// registry value on Windows, the manifest file elsewhere.
func userRegistration(l HostLocation, reg installer.Registry) (bool, []string) {
	if l.RegKey != "" {
		// Software\Google\Chrome\NativeMessagingHosts\NAME: the browser's key is two up.
		found := keyExists(reg, parentKey(parentKey(l.RegKey)))
		if p, ok, _ := regValue(reg, l.RegKey); ok {
			return found, []string{p}
		}
		return found, nil
	}
	// .../google-chrome/NativeMessagingHosts/NAME.json: the profile is two up.
	_, err := os.Stat(filepath.Dir(filepath.Dir(l.Manifest)))
	return err == nil, []string{l.Manifest}
}

func parentKey(k string) string {
	if i := strings.LastIndex(k, `\`); i >= 0 {
		return k[:i]
	}
	return ""
}
