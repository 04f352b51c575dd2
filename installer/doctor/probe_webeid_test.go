package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/installer"
)

const webEIDHost = "eu.webeid"

// webEIDHome is a Linux home where Chromium's registration is eidbridge's
// and hides web-eid-app's for all users, Chrome has only web-eid-app's,
// Firefox is used without either, Brave's names a program that is gone,
// and Edge is not there.
func webEIDHome(t *testing.T) (WebEIDSetup, []installer.SystemHost, string) {
	home, system := t.TempDir(), t.TempDir()
	launcher := filepath.Join(home, "data", "eidbridge", "webeid-host")
	official := filepath.Join(system, "usr", "bin", "web-eid")
	writeManifest(t, launcher, "#!/bin/sh\nexec /usr/bin/eidbridge nm-host --webeid \"$@\"\n")
	writeManifest(t, official, "#!/bin/sh\n")
	for _, p := range []string{launcher, official} {
		os.Chmod(p, 0o755)
	}
	manifest := func(prog string) string {
		return `{"name":"eu.webeid","type":"stdio","path":"` + prog + `","allowed_origins":["chrome-extension://ncibgoaomkmdpilpocfeponihegamlic/"]}`
	}
	dirs := map[string]string{"chrome": ".config/google-chrome/NativeMessagingHosts", "chromium": ".config/chromium/NativeMessagingHosts",
		"edge": ".config/microsoft-edge/NativeMessagingHosts", "brave": ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
		"firefox": ".mozilla/native-messaging-hosts"}
	var s WebEIDSetup
	s.Host, s.Launcher = webEIDHost, launcher
	for _, id := range []string{"chrome", "chromium", "edge", "brave", "firefox"} {
		s.Locations = append(s.Locations, HostLocation{ID: id, Browser: id, Manifest: filepath.Join(home, dirs[id], webEIDHost+".json")})
	}
	var systemDirs []installer.SystemHost
	for _, id := range []string{"chrome", "chromium"} {
		d := filepath.Join(system, "etc", id)
		writeManifest(t, filepath.Join(d, webEIDHost+".json"), manifest(official))
		systemDirs = append(systemDirs, installer.SystemHost{ID: id, Dir: d})
	}
	writeManifest(t, s.Locations[1].Manifest, manifest(launcher))
	writeManifest(t, s.Locations[3].Manifest, manifest(filepath.Join(home, "gone", "webeid-host")))
	os.MkdirAll(filepath.Join(home, ".mozilla"), 0o755)
	return s, systemDirs, official
}

func TestProbeWebEIDLinux(t *testing.T) {
	s, systemDirs, official := webEIDHome(t)
	got := map[string]WebEIDInfo{}
	for _, w := range ProbeWebEID("linux", s, nil, nil, systemDirs) {
		got[w.Browser] = w
	}
	if w := got["chromium"]; !w.Ours || !w.ProgramOK || w.Hidden != filepath.Join(systemDirs[1].Dir, webEIDHost+".json") {
		t.Errorf("Chromium: %+v, want eidbridge, hiding web-eid-app's", w)
	}
	if w := got["chrome"]; w.Ours || !w.ProgramOK || w.Program != official || w.Hidden != "" {
		t.Errorf("Chrome: %+v, want web-eid-app's", w)
	}
	if w := got["firefox"]; !w.BrowserFound || w.Manifest != "" {
		t.Errorf("Firefox: %+v, want found with no registration", w)
	}
	if w := got["edge"]; w.BrowserFound || w.Manifest != "" {
		t.Errorf("Edge: %+v, want absent", w)
	}
	if w := got["brave"]; w.Ours || w.ProgramOK {
		t.Errorf("Brave: %+v, want a registration whose program is gone", w)
	}
}

// The doctor's report names, per browser, who answers Web eID sites.
func TestDoctorReportsWebEID(t *testing.T) {
	s, systemDirs, official := webEIDHome(t)
	env := healthy()
	env.WebEID = func(context.Context) []WebEIDInfo { return ProbeWebEID("linux", s, nil, nil, systemDirs) }
	rep := Run(context.Background(), *env)
	for id, want := range map[string]struct {
		status Status
		detail string
	}{
		"webeid/chromium": {OK, "eidbridge answers them"},
		"webeid/chrome":   {OK, "the official Web eID application (" + official + ")"},
		"webeid/firefox":  {Skip, "nm-host install --webeid"},
		"webeid/edge":     {Skip, "browser not found"},
		"webeid/brave":    {Warn, "not an executable program"},
	} {
		r, ok := rep.Find(id)
		if !ok || r.Status != want.status || !strings.Contains(r.Detail, want.detail) {
			t.Errorf("%s: %+v, want %s saying %q", id, r, want.status, want.detail)
		}
	}
	if r, _ := rep.Find("webeid/chromium"); !strings.Contains(r.Detail, "uninstall --webeid") {
		t.Errorf("Chromium: %q does not say how to bring web-eid-app back", r.Detail)
	}
	broken := []WebEIDInfo{{Browser: "Chromium", BrowserFound: true, Manifest: "/m.json", Program: s.Launcher, Ours: true}}
	if r := checkWebEID(broken)[0]; r.Status != Fail || !strings.Contains(r.Fix, "nm-host install --webeid") {
		t.Errorf("eidbridge registered without its launcher: %+v, want a failure with the fix", r)
	}
}

// On Windows this user's HKCU value comes before the machine's HKLM one.
func TestProbeWebEIDWindows(t *testing.T) {
	dir := t.TempDir()
	ours, theirs := filepath.Join(dir, "ours.json"), filepath.Join(dir, "theirs.json")
	launcher := filepath.Join(dir, "webeid-host.bat")
	writeManifest(t, launcher, "@echo off\r\n")
	writeManifest(t, filepath.Join(dir, "web-eid.exe"), "MZ")
	writeManifest(t, ours, `{"name":"eu.webeid","type":"stdio","path":"`+filepath.ToSlash(launcher)+`","allowed_origins":["x"]}`)
	writeManifest(t, theirs, `{"name":"eu.webeid","type":"stdio","path":"web-eid.exe","allowed_origins":["x"]}`)
	key := `Software\Google\Chrome\NativeMessagingHosts\eu.webeid`
	fire := `Software\Mozilla\NativeMessagingHosts\eu.webeid`
	user := fakeRegistry{key + `\`: ours}
	machine := fakeRegistry{key + `\`: theirs, fire + `\`: theirs}
	s := WebEIDSetup{Host: webEIDHost, Launcher: launcher, Locations: []HostLocation{
		{ID: "chrome", Browser: "Google Chrome", Manifest: ours, RegKey: key},
		{ID: "firefox", Browser: "Firefox", Manifest: filepath.Join(dir, "ff.json"), RegKey: fire}}}
	got := ProbeWebEID("windows", s, user, machine, nil)
	if w := got[0]; !w.Ours || w.Hidden != theirs || !w.ProgramOK {
		t.Errorf("Chrome: %+v, want eidbridge, hiding the machine's", w)
	}
	if w := got[1]; w.Ours || w.Manifest != theirs || w.Program != filepath.Join(dir, "web-eid.exe") || !w.ProgramOK {
		t.Errorf("Firefox: %+v, want the machine's web-eid-app", w)
	}
}
