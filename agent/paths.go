package agent

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// appDir is the directory name under the user's config and state dirs.
const appDir = "eidbridge"

// ConfigPath is os.UserConfigDir()/eidbridge/config.json.
func ConfigPath() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the configuration directory: %w", err)
	}
	return filepath.Join(d, appDir, "config.json"), nil
}

// StateDir is where the audit log goes: $XDG_STATE_HOME/eidbridge or
// ~/.local/state/eidbridge on Linux and other Unix systems,
// ~/Library/Application Support/eidbridge on macOS, and
// %LocalAppData%\eidbridge on Windows (the XDG state directory has no
// counterpart there, so the machine-local, non-roaming data is used).
func StateDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, appDir), nil
		}
		return "", errors.New("finding the state directory: %LocalAppData% is not set")
	case "darwin", "ios":
		d, err := os.UserConfigDir() // ~/Library/Application Support
		if err != nil {
			return "", fmt.Errorf("finding the state directory: %w", err)
		}
		return filepath.Join(d, appDir), nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, appDir), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the state directory: %w", err)
	}
	return filepath.Join(home, ".local", "state", appDir), nil
}
