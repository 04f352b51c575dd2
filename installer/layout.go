package installer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Names shared with the packages (packaging/) and eidbridge doctor.
const (
	// UnitName is the systemd user unit, per user and in the .deb/.rpm.
	UnitName = "eidbridge.service"
	// LaunchdLabel names the macOS LaunchAgent and its plist file.
	LaunchdLabel = "io.github.eidbridge.agent"
	// RunKey is the per-user Run key (under HKEY_CURRENT_USER), read at
	// every logon, and RunValue the value the installer writes there.
	RunKey   = `Software\Microsoft\Windows\CurrentVersion\Run`
	RunValue = "eidbridge"
	// manifestFile is the record of an installation, in the state dir.
	manifestFile = "install.json"
	// windowsAgentExe is the console-less build beside eidbridge.exe (see
	// Layout.AgentExe).
	windowsAgentExe = "eidbridgew.exe"
)

// Layout is where an installation goes. DefaultLayout fills it from the
// environment; tests build one around a temporary home.
type Layout struct {
	GOOS string
	// Exe is the eidbridge binary the service runs.
	Exe string
	// AgentExe is what starts at logon. It is Exe except on Windows when
	// eidbridgew.exe (the same program linked as a GUI application) lies
	// beside it: started from the Run key, a console program opens a
	// console window that stays for the whole session.
	AgentExe string
	Home     string
	// ConfigPath is the agent's config.json; StateDir holds the manifest.
	ConfigPath string
	StateDir   string
	// UnitDir is the systemd user unit directory (Linux).
	UnitDir string
	// Port is the agent's port, for stopping and status on Windows.
	Port int
}

// DefaultLayout is the layout for the current user and exe (an absolute
// path, normally os.Executable). configPath and stateDir come from the
// agent's own rules, so the installer and the agent agree.
func DefaultLayout(exe, configPath, stateDir string, port int) (Layout, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Layout{}, fmt.Errorf("finding the home directory: %w", err)
	}
	l := Layout{GOOS: runtime.GOOS, Exe: exe, AgentExe: exe, Home: home,
		ConfigPath: configPath, StateDir: stateDir, Port: port}
	l.UnitDir = filepath.Join(home, ".config", "systemd", "user")
	if x := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(x) {
		l.UnitDir = filepath.Join(x, "systemd", "user") // where systemd looks
	}
	if l.GOOS == "windows" {
		w := filepath.Join(filepath.Dir(exe), windowsAgentExe)
		if _, err := os.Stat(w); err == nil {
			l.AgentExe = w
		}
	}
	return l, nil
}

// checkExe refuses binaries that will not be there after this run: a
// unit pointing into the go build cache breaks at the next `go clean`.
func checkExe(goos, exe string) error {
	switch {
	case !isAbs(goos, exe):
		return fmt.Errorf("the eidbridge binary %q: want an absolute path", exe)
	case strings.ContainsAny(exe, "\n\r"):
		return errors.New("the eidbridge binary's path contains a line break")
	case strings.Contains(filepath.ToSlash(exe), "/go-build"):
		return fmt.Errorf("the eidbridge binary %s is a temporary `go run` build: "+
			"build or install it first (make build), then run that binary's install", exe)
	}
	return nil
}

// isAbs is filepath.IsAbs for goos, so that Windows layouts can be
// tested elsewhere: C:\x, C:/x and \\server\share are absolute there.
func isAbs(goos, p string) bool {
	if goos != "windows" {
		return strings.HasPrefix(p, "/")
	}
	return len(p) > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') || strings.HasPrefix(p, `\\`)
}

// UnitPath is the systemd user unit file (Linux).
func (l Layout) UnitPath() string { return filepath.Join(l.UnitDir, UnitName) }

// PlistPath is the LaunchAgent file (macOS); kardianos reads the same path.
func (l Layout) PlistPath() string {
	return filepath.Join(l.Home, "Library", "LaunchAgents", LaunchdLabel+".plist")
}

// LogPath is where launchd sends the agent's log (macOS), beside the
// other applications' logs.
func (l Layout) LogPath() string { return filepath.Join(l.Home, "Library", "Logs", "eidbridge.log") }

// ManifestPath is the installation record.
func (l Layout) ManifestPath() string { return filepath.Join(l.StateDir, manifestFile) }

// RunCommand is the Run value's data: the quoted agent path and "run".
func (l Layout) RunCommand() string { return `"` + l.AgentExe + `" run` }
