package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// nmHostName is the native-messaging host the extension connects to.
const nmHostName = "be.eidbridge.nm"

// The extension's IDs: the Chrome one follows from the public "key" in
// webext/extension/manifest.json (unpacked and self-hosted builds); a
// store-published build has its own, given with --chrome-id. Firefox
// takes the ID from browser_specific_settings.
const (
	devChromeID = "pjocckocolbolopcipopahddniipfpem"
	firefoxID   = "eidbridge@eidbridge.be"
)

var (
	chromeIDRe  = regexp.MustCompile(`^[a-p]{32}$`)
	firefoxIDRe = regexp.MustCompile(`^([A-Za-z0-9._+-]+@[A-Za-z0-9.-]+|\{[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\})$`)
)

// nmBrowsers are the browsers install knows, in the order it reports them.
var nmBrowsers = []string{"chrome", "chromium", "edge", "brave", "firefox"}

// nmPlatform is what the manifest locations depend on: the OS and the
// user's directories, so tests can use a fake home.
type nmPlatform struct {
	goos         string
	home         string
	configHome   string // $XDG_CONFIG_HOME, or home/.config (Linux)
	dataHome     string // $XDG_DATA_HOME, or home/.local/share (Linux)
	localAppData string // %LocalAppData% (Windows)
}

// nmLocation is where one browser looks for the host: a manifest file
// and, on Windows, the registry key (under HKEY_CURRENT_USER) naming it.
type nmLocation struct {
	browser  string
	manifest string
	regKey   string
}

func (p nmPlatform) firefox(b string) bool { return b == "firefox" }

// location is where browser b looks for this user's hosts.
func (p nmPlatform) location(b string) (nmLocation, error) {
	file := nmHostName + ".json"
	switch p.goos {
	case "windows":
		keys := map[string]string{"chrome": `Software\Google\Chrome`, "chromium": `Software\Chromium`,
			"edge": `Software\Microsoft\Edge`, "brave": `Software\BraveSoftware\Brave-Browser`, "firefox": `Software\Mozilla`}
		return nmLocation{browser: b, manifest: filepath.Join(p.appDir(), "native-messaging", nmHostName+"."+b+".json"),
			regKey: keys[b] + `\NativeMessagingHosts\` + nmHostName}, nil
	case "darwin":
		dirs := map[string]string{"chrome": "Google/Chrome", "chromium": "Chromium", "edge": "Microsoft Edge",
			"brave": "BraveSoftware/Brave-Browser", "firefox": "Mozilla"}
		return nmLocation{browser: b, manifest: filepath.Join(p.home, "Library", "Application Support",
			filepath.FromSlash(dirs[b]), "NativeMessagingHosts", file)}, nil
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		if p.firefox(b) {
			return nmLocation{browser: b, manifest: filepath.Join(p.home, ".mozilla", "native-messaging-hosts", file)}, nil
		}
		dirs := map[string]string{"chrome": "google-chrome", "chromium": "chromium", "edge": "microsoft-edge",
			"brave": "BraveSoftware/Brave-Browser"}
		return nmLocation{browser: b, manifest: filepath.Join(p.configHome, filepath.FromSlash(dirs[b]),
			"NativeMessagingHosts", file)}, nil
	}
	return nmLocation{}, fmt.Errorf("native messaging on %s is not supported", p.goos)
}

// appDir is eidbridge's own per-user directory for the launcher.
func (p nmPlatform) appDir() string {
	switch p.goos {
	case "windows":
		return filepath.Join(p.localAppData, "eidbridge")
	case "darwin":
		return filepath.Join(p.home, "Library", "Application Support", "eidbridge")
	}
	return filepath.Join(p.dataHome, "eidbridge")
}

// launcher is the program a manifest names. Browsers start it with their
// own arguments and no way to add ours, so it is a two-line script that
// runs `BINARY nm-host`.
func (p nmPlatform) launcher() string {
	if p.goos == "windows" {
		return filepath.Join(p.appDir(), "nm-host.bat")
	}
	return filepath.Join(p.appDir(), "nm-host")
}

// launcherScript is the launcher's text for binary.
func (p nmPlatform) launcherScript(binary string) (string, error) {
	if p.goos == "windows" {
		if strings.ContainsAny(binary, "\"%\r\n") {
			return "", fmt.Errorf("the program path %q has a character a batch file cannot quote", binary)
		}
		return "@echo off\r\nrem Started by the browser for the eidbridge extension (eidbridge nm-host install).\r\n" +
			"\"" + binary + "\" nm-host %*\r\n", nil
	}
	if strings.ContainsAny(binary, "\x00\n") {
		return "", fmt.Errorf("the program path %q has a newline or NUL", binary)
	}
	quoted := "'" + strings.ReplaceAll(binary, "'", `'\''`) + "'"
	return "#!/bin/sh\n# Started by the browser for the eidbridge extension (eidbridge nm-host install).\n" +
		"exec " + quoted + " nm-host \"$@\"\n", nil
}

// nmManifest is a host manifest; Chromium browsers list allowed_origins,
// Firefox allowed_extensions.
type nmManifest struct {
	Name              string   `json:"name"`
	Description       string   `json:"description"`
	Path              string   `json:"path"`
	Type              string   `json:"type"`
	AllowedOrigins    []string `json:"allowed_origins,omitempty"`
	AllowedExtensions []string `json:"allowed_extensions,omitempty"`
}

// manifestJSON is the manifest for a browser kind, naming launcher.
func manifestJSON(firefox bool, launcher string, chromeIDs, firefoxIDs []string) ([]byte, error) {
	m := nmManifest{Name: nmHostName, Description: "eidbridge: the Belgian eID for allowed websites",
		Path: launcher, Type: "stdio"}
	if firefox {
		m.AllowedExtensions = firefoxIDs
	} else {
		for _, id := range chromeIDs {
			m.AllowedOrigins = append(m.AllowedOrigins, "chrome-extension://"+id+"/")
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	return append(b, '\n'), err
}

// currentPlatform reads the user's directories from the environment.
func currentPlatform(goos string) (nmPlatform, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nmPlatform{}, fmt.Errorf("finding the home directory: %w", err)
	}
	p := nmPlatform{goos: goos, home: home, localAppData: os.Getenv("LocalAppData"),
		configHome: filepath.Join(home, ".config"), dataHome: filepath.Join(home, ".local", "share")}
	if d := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		p.configHome = d
	}
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		p.dataHome = d
	}
	if goos == "windows" && p.localAppData == "" {
		return p, fmt.Errorf("%%LocalAppData%% is not set")
	}
	return p, nil
}
