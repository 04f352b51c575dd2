package nmhost

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// HostName is the native-messaging host the eidbridge extension connects to.
const HostName = "be.eidbridge.nm"

// The extension's IDs: the Chrome one follows from the public "key" in
// webext/extension/manifest.json (unpacked and self-hosted builds); a
// store-published build has its own, given with --chrome-id. Firefox
// takes the ID from browser_specific_settings.
const (
	DevChromeID = "pjocckocolbolopcipopahddniipfpem"
	FirefoxID   = "eidbridge@eidbridge.be"
)

var (
	chromeIDRe  = regexp.MustCompile(`^[a-p]{32}$`)
	firefoxIDRe = regexp.MustCompile(`^([A-Za-z0-9._+-]+@[A-Za-z0-9.-]+|\{[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\})$`)
)

// Browsers are the browsers install knows, in the order it reports them.
var Browsers = []string{"chrome", "chromium", "edge", "brave", "firefox"}

// BrowserNames are the browsers' names for people.
var BrowserNames = map[string]string{"chrome": "Google Chrome", "chromium": "Chromium", "edge": "Microsoft Edge",
	"brave": "Brave", "firefox": "Firefox"}

// Platform is what the manifest locations depend on: the OS and the
// user's directories, so tests can use a fake home.
type Platform struct {
	GOOS         string
	Home         string
	ConfigHome   string // $XDG_CONFIG_HOME, or home/.config (Linux)
	DataHome     string // $XDG_DATA_HOME, or home/.local/share (Linux)
	LocalAppData string // %LocalAppData% (Windows)
}

// Location is where one browser looks for a host: a manifest file and,
// on Windows, the registry key (under HKEY_CURRENT_USER) naming it.
type Location struct {
	Browser  string
	Manifest string
	RegKey   string
}

func isFirefox(b string) bool { return b == "firefox" }

// Location is where browser b looks for this user's host named host.
func (p Platform) Location(b, host string) (Location, error) {
	file := host + ".json"
	switch p.GOOS {
	case "windows":
		keys := map[string]string{"chrome": `Software\Google\Chrome`, "chromium": `Software\Chromium`,
			"edge": `Software\Microsoft\Edge`, "brave": `Software\BraveSoftware\Brave-Browser`, "firefox": `Software\Mozilla`}
		return Location{Browser: b, Manifest: filepath.Join(p.appDir(), "native-messaging", host+"."+b+".json"),
			RegKey: keys[b] + `\NativeMessagingHosts\` + host}, nil
	case "darwin":
		dirs := map[string]string{"chrome": "Google/Chrome", "chromium": "Chromium", "edge": "Microsoft Edge",
			"brave": "BraveSoftware/Brave-Browser", "firefox": "Mozilla"}
		return Location{Browser: b, Manifest: filepath.Join(p.Home, "Library", "Application Support",
			filepath.FromSlash(dirs[b]), "NativeMessagingHosts", file)}, nil
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		if isFirefox(b) {
			return Location{Browser: b, Manifest: filepath.Join(p.Home, ".mozilla", "native-messaging-hosts", file)}, nil
		}
		dirs := map[string]string{"chrome": "google-chrome", "chromium": "chromium", "edge": "microsoft-edge",
			"brave": "BraveSoftware/Brave-Browser"}
		return Location{Browser: b, Manifest: filepath.Join(p.ConfigHome, filepath.FromSlash(dirs[b]),
			"NativeMessagingHosts", file)}, nil
	}
	return Location{}, fmt.Errorf("native messaging on %s is not supported", p.GOOS)
}

// appDir is eidbridge's own per-user directory for the launchers.
func (p Platform) appDir() string {
	switch p.GOOS {
	case "windows":
		return filepath.Join(p.LocalAppData, "eidbridge")
	case "darwin":
		return filepath.Join(p.Home, "Library", "Application Support", "eidbridge")
	}
	return filepath.Join(p.DataHome, "eidbridge")
}

// Launcher is the program our own host's manifests name. Browsers start
// it with their own arguments and no way to add ours, so it is a
// two-line script that runs `BINARY nm-host` (ownHostArgs).
func (p Platform) Launcher() string { return p.launcherNamed("nm-host") }

// WebEIDLauncher is the same for the eu.webeid manifests: a file of its
// own, so that removing one registration never breaks the other. It
// runs `BINARY nm-host --webeid` (webEIDHostArgs); the path is the one
// older installs wrote, which `eidbridge doctor` recognises.
func (p Platform) WebEIDLauncher() string { return p.launcherNamed("webeid-host") }

// What each launcher runs the program with, before the browser's
// arguments: fixed words of ours, so they need no quoting.
var (
	ownHostArgs    = []string{"nm-host"}
	webEIDHostArgs = []string{"nm-host", WebEIDMarker}
)

func (p Platform) launcherNamed(name string) string {
	if p.GOOS == "windows" {
		return filepath.Join(p.appDir(), name+".bat")
	}
	return filepath.Join(p.appDir(), name)
}

// launcherScript is a launcher's text: it runs binary with args, then
// the browser's arguments; forWhom names who registered it, in its
// comment.
func (p Platform) launcherScript(binary string, args []string, forWhom string) (string, error) {
	words := strings.Join(args, " ")
	if p.GOOS == "windows" {
		if strings.ContainsAny(binary, "\"%\r\n") {
			return "", fmt.Errorf("the program path %q has a character a batch file cannot quote", binary)
		}
		return "@echo off\r\nrem Started by the browser for " + forWhom + ".\r\n" +
			"\"" + binary + "\" " + words + " %*\r\n", nil
	}
	if strings.ContainsAny(binary, "\x00\n") {
		return "", fmt.Errorf("the program path %q has a newline or NUL", binary)
	}
	quoted := "'" + strings.ReplaceAll(binary, "'", `'\''`) + "'"
	return "#!/bin/sh\n# Started by the browser for " + forWhom + ".\n" +
		"exec " + quoted + " " + words + " \"$@\"\n", nil
}

// manifest is a host manifest; Chromium browsers list allowed_origins,
// Firefox allowed_extensions.
type manifest struct {
	Name              string   `json:"name"`
	Description       string   `json:"description"`
	Path              string   `json:"path"`
	Type              string   `json:"type"`
	AllowedOrigins    []string `json:"allowed_origins,omitempty"`
	AllowedExtensions []string `json:"allowed_extensions,omitempty"`
}

// manifestJSON is host's manifest for a browser kind, naming launcher.
func manifestJSON(host, description string, firefox bool, launcher string, chromeIDs, firefoxIDs []string) ([]byte, error) {
	m := manifest{Name: host, Description: description, Path: launcher, Type: "stdio"}
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

// CurrentPlatform reads the user's directories from the environment.
func CurrentPlatform(goos string) (Platform, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Platform{}, fmt.Errorf("finding the home directory: %w", err)
	}
	p := Platform{GOOS: goos, Home: home, LocalAppData: os.Getenv("LocalAppData"),
		ConfigHome: filepath.Join(home, ".config"), DataHome: filepath.Join(home, ".local", "share")}
	if d := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		p.ConfigHome = d
	}
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		p.DataHome = d
	}
	if goos == "windows" && p.LocalAppData == "" {
		return p, fmt.Errorf("%%LocalAppData%% is not set")
	}
	return p, nil
}
