package doctor

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/nmhost"
)

// Get, Set and Remove make fakeRegistry nm-host's Registry too, so that
// nm-host's own installer can register in it.
func (r fakeRegistry) Get(key string) (string, bool, error) { return r.Value(key, "") }
func (r fakeRegistry) Set(key, value string) error          { return r.SetValue(key, "", value) }
func (r fakeRegistry) Remove(key string) error              { return r.DeleteValue(key, "") }

// The launchers eidbridge wrote before nm-host took --webeid, byte for
// byte: their comment names --webeid, their command does not pass it.
const (
	oldLauncherUnix    = "#!/bin/sh\n# Started by the browser for the Web eID extension (eidbridge nm-host install --webeid).\nexec '/opt/eidbridge/eidbridge' nm-host \"$@\"\n"
	oldLauncherWindows = "@echo off\r\nrem Started by the browser for the Web eID extension (eidbridge nm-host install --webeid).\r\n\"/opt/eidbridge/eidbridge.exe\" nm-host %*\r\n"
)

// installWebEID registers eidbridge as eu.webeid for Chromium and Firefox
// in a temporary home with nm-host's own installer, as `eidbridge nm-host
// install --webeid --extension-id ID...` does, and returns where the
// doctor looks, as cmd/eidbridge's webEIDSetup tells it.
func installWebEID(t *testing.T, goos string, reg fakeRegistry, ids []string) WebEIDSetup {
	t.Helper()
	home := t.TempDir()
	p := nmhost.Platform{GOOS: goos, Home: home, ConfigHome: filepath.Join(home, ".config"),
		DataHome: filepath.Join(home, ".local", "share"), LocalAppData: filepath.Join(home, "AppData", "Local")}
	binary := "/opt/eidbridge/eidbridge"
	if goos == "windows" {
		binary += ".exe"
	}
	in := nmhost.WebEIDInstaller{Platform: p, Binary: binary, Browsers: []string{"chromium", "firefox"}, ExtensionIDs: ids, Registry: reg}
	if err := in.Install(io.Discard); err != nil {
		t.Fatalf("install --webeid: %v", err)
	}
	s := WebEIDSetup{Host: nmhost.WebEIDHostName, Launcher: p.WebEIDLauncher()}
	for _, b := range in.Browsers {
		loc, err := p.Location(b, nmhost.WebEIDHostName)
		if err != nil {
			t.Fatal(err)
		}
		s.Locations = append(s.Locations, HostLocation{ID: b, Browser: b, Manifest: loc.Manifest, RegKey: loc.RegKey})
	}
	return s
}

// The doctor tells a current eidbridge registration from one whose
// launcher an older eidbridge wrote (the host then answers only the
// official extensions), and names the extensions allowed beyond those.
func TestDoctorWebEIDLauncherAndExtensionIDs(t *testing.T) {
	const a, b = "abcdefghijklmnopabcdefghijklmnop", "ponmlkjihgfedcbaponmlkjihgfedcba"
	for _, tc := range []struct {
		name, goos  string
		ids         []string
		oldLauncher string // written over the installer's; "" keeps it
		status      Status
		says        []string // in Chromium's detail
		fix         string
	}{
		{name: "current", goos: "linux", status: OK, says: []string{"eidbridge answers them"}},
		{name: "current with extension IDs", goos: "linux", ids: []string{a, b, nmhost.WebEIDChromeID}, status: OK,
			says: []string{"it also answers the extension(s) " + a + ", " + b + " (--extension-id)"}},
		{name: "old launcher", goos: "linux", oldLauncher: oldLauncherUnix, status: Warn,
			says: []string{"older registration", "answers only the official Web eID extensions"},
			fix:  "register it again: eidbridge nm-host install --webeid"},
		{name: "old launcher with extension IDs", goos: "linux", ids: []string{a}, oldLauncher: oldLauncherUnix, status: Warn,
			says: []string{"answers only the official", "the extension(s) " + a + " it also allows get no answer"},
			fix:  "register it again: eidbridge nm-host install --webeid"},
		{name: "current on Windows", goos: "windows", ids: []string{a}, status: OK,
			says: []string{"eidbridge answers them", "it also answers the extension(s) " + a + " (--extension-id)"}},
		{name: "old launcher on Windows", goos: "windows", oldLauncher: oldLauncherWindows, status: Warn,
			says: []string{"answers only the official"}, fix: "register it again: eidbridge nm-host install --webeid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := fakeRegistry{}
			s := installWebEID(t, tc.goos, reg, tc.ids)
			if tc.oldLauncher != "" {
				if err := os.WriteFile(s.Launcher, []byte(tc.oldLauncher), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			env := healthy()
			env.WebEID = func(context.Context) []WebEIDInfo { return ProbeWebEID(tc.goos, s, reg, nil, nil) }
			rep := Run(context.Background(), *env)
			r, _ := rep.Find("webeid/chromium")
			if r.Status != tc.status || r.Fix != tc.fix {
				t.Errorf("Chromium: %+v, want %s with fix %q", r, tc.status, tc.fix)
			}
			for _, want := range tc.says {
				if !strings.Contains(r.Detail, want) {
					t.Errorf("Chromium: %q does not say %q", r.Detail, want)
				}
			}
			// Firefox shares the launcher; its manifest allows the official add-on only.
			if f, _ := rep.Find("webeid/firefox"); f.Status != tc.status || strings.Contains(f.Detail, "also") {
				t.Errorf("Firefox: %+v, want %s naming no other extension", f, tc.status)
			}
		})
	}
}

// Only the command counts, and only --webeid as nm-host's first
// argument, which is what the host itself looks at.
func TestLauncherPassesWebEID(t *testing.T) {
	for body, want := range map[string]bool{
		oldLauncherUnix:    false,
		oldLauncherWindows: false,
		"#!/bin/sh\nexec '/opt/my nm-host dir/eidbridge' nm-host --webeid \"$@\"\n":          true,
		"@ECHO OFF\r\nREM nm-host --webeid\r\n\"C:\\eidbridge.exe\" nm-host --webeid %*\r\n": true,
		":: nm-host --webeid\r\n\"C:\\eidbridge.exe\" nm-host %*\r\n":                        false,
		"#!/bin/sh\nexec eidbridge nm-host --verbose --webeid \"$@\"\n":                      false,
		"": false,
	} {
		path := filepath.Join(t.TempDir(), "webeid-host")
		writeManifest(t, path, body)
		if got, err := launcherPassesWebEID(path); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", body, got, err, want)
		}
	}
	if _, err := launcherPassesWebEID(filepath.Join(t.TempDir(), "gone")); err == nil {
		t.Error("a missing launcher: no error")
	}
}
