package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/nmhost"
)

// selfBuiltWebEID is a Web eID extension under an ID of its own: an
// unpacked build (the ID follows from its path) or a re-signed one.
const selfBuiltWebEID = "kfmdinlehfjfpgdblhfkmgmpjkafojpc"

// registrationHome points this test's environment, and so the built
// binary's, at a fresh home.
func registrationHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	return home
}

// chromiumRegistration reads the Chromium manifest of host in home.
func chromiumRegistration(t *testing.T, home, host string) (path string, allowed []string) {
	t.Helper()
	var m struct {
		Path           string   `json:"path"`
		AllowedOrigins []string `json:"allowed_origins"`
	}
	b, err := os.ReadFile(filepath.Join(home, "config", "chromium", "NativeMessagingHosts", host+".json"))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		t.Fatalf("the %s registration: %v", host, err)
	}
	return m.Path, m.AllowedOrigins
}

// startLauncher starts the launcher a manifest names, as Chromium does
// for the extension with ID id.
func startLauncher(t *testing.T, launcher, id string) *webEIDProc {
	t.Helper()
	return startHostProc(t, exec.Command(launcher, "chrome-extension://"+id+"/"))
}

// The registration decides the protocol: a Web eID extension under an
// ID of its own, allowed with --extension-id, gets the Web eID protocol
// from the launcher `install --webeid` writes; the same caller through
// the eidbridge extension's registration gets eidbridge's own.
func TestNMHostWebEIDRegistrationDecides(t *testing.T) {
	home := registrationHome(t)
	out := mustRun(t, "nm-host", "install", "--webeid", "--browser", "chromium", "--extension-id", selfBuiltWebEID)
	if !strings.Contains(out, selfBuiltWebEID) || !strings.Contains(out, "nm-host --webeid") {
		t.Errorf("install --webeid --extension-id did not report the ID and the launcher:\n%s", out)
	}
	launcher, allowed := chromiumRegistration(t, home, nmhost.WebEIDHostName)
	if !slices.Contains(allowed, "chrome-extension://"+selfBuiltWebEID+"/") ||
		!slices.Contains(allowed, "chrome-extension://"+nmhost.WebEIDChromeID+"/") {
		t.Errorf("eu.webeid allows %v, want the published IDs and %s", allowed, selfBuiltWebEID)
	}
	p := startLauncher(t, launcher, selfBuiltWebEID)
	p.read(t, 5*time.Second, "version") // before anything is asked, as the extension waits for it
	if m := p.ask(t, "quit", map[string]any{}); len(m) != 0 {
		t.Errorf("quit: %v, want {}", m)
	}

	mustRun(t, "nm-host", "install", "--browser", "chromium", "--chrome-id", selfBuiltWebEID)
	own, _ := chromiumRegistration(t, home, nmhost.HostName)
	m := startLauncher(t, own, selfBuiltWebEID).exchange(t, `{"query":"origins"}`, "origins")
	if m["origins"] == nil || m["version"] != nil {
		t.Errorf("through eidbridge's registration the caller got %v, want eidbridge's protocol (the origins)", m)
	}
}

// Each misuse of --extension-id is refused with what to do instead,
// before anything is written.
func TestNMHostWebEIDInstallRefusesBadExtensionIDs(t *testing.T) {
	home := registrationHome(t)
	wantOneLineError(t, runBin(t, "nm-host", "install", "--webeid", "--extension-id", nmhost.WebEIDFirefoxID),
		"is not a Chromium extension ID (32 letters a to p)")
	wantOneLineError(t, runBin(t, "nm-host", "install", "--webeid", "--browser", "firefox", "--extension-id", selfBuiltWebEID),
		"only Firefox was chosen")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"install", "--extension-id", selfBuiltWebEID}, "needs --webeid"},
		{[]string{"uninstall", "--webeid", "--extension-id", selfBuiltWebEID}, "is for install"},
		{[]string{"install", "--webeid", "--firefox-id", "a@b.c"}, "with --webeid, allow another Web eID extension with --extension-id"},
		{[]string{"install", "--webeid", selfBuiltWebEID}, `unexpected argument "` + selfBuiltWebEID + `"`},
	} {
		r := runBin(t, append([]string{"nm-host"}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("nm-host %q: exit %d, %q; want the usage (2) saying %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("refused installs wrote into the home: %v", entries)
	}
}
