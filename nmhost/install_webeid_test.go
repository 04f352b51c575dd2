package nmhost

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// theirs is a registration of another application, such as web-eid-app's.
const theirs = `{"name":"eu.webeid","path":"/opt/web-eid/web-eid","type":"stdio","allowed_origins":["chrome-extension://ncibgoaomkmdpilpocfeponihegamlic/"]}` + "\n"

// files lists every file under root with its content and mode.
func files(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			fi, _ := d.Info()
			out[p] = fi.Mode().Perm().String() + " " + string(b)
		}
		return nil
	})
	return out
}

func writeAt(t *testing.T, path, body string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, mode)
}

// Install registers eu.webeid for each browser with the official
// extension's IDs and a launcher of its own; uninstall leaves the home
// exactly as it was, whether it was empty or held another application's
// registration (kept meanwhile beside ours).
func TestWebEIDInstallUninstallRestores(t *testing.T) {
	p := tempPlatform(t, "linux")
	chromium, _ := p.Location("chromium", WebEIDHostName)
	firefox, _ := p.Location("firefox", WebEIDHostName)
	writeAt(t, chromium.Manifest, theirs, 0o600)
	writeAt(t, firefox.Manifest, "not even JSON", 0o644)
	before := files(t, p.Home)
	in := WebEIDInstaller{Platform: p, Binary: "/usr/bin/eidbridge"}
	var out bytes.Buffer
	for range 2 { // again: a repair, which must not back ours up over theirs
		out.Reset()
		if err := in.Install(&out); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range Browsers {
		loc, _ := p.Location(b, WebEIDHostName)
		checkWebEIDManifest(t, b, loc.Manifest, p.WebEIDLauncher())
	}
	if got := files(t, p.Home)[chromium.Manifest+BackupSuffix]; got != before[chromium.Manifest] {
		t.Errorf("the backup is %q, want what was there, %q", got, before[chromium.Manifest])
	}
	script, err := os.ReadFile(p.WebEIDLauncher())
	if err != nil || !strings.Contains(string(script), "exec '/usr/bin/eidbridge' nm-host --webeid \"$@\"") {
		t.Errorf("launcher %q, %v", script, err)
	}
	if err := in.Uninstall(&out); err != nil {
		t.Fatal(err)
	}
	if after := files(t, p.Home); !reflect.DeepEqual(after, before) {
		t.Errorf("after uninstall:\n%v\nwant what was there before:\n%v", after, before)
	}
	if err := in.Uninstall(&out); err != nil {
		t.Errorf("a second uninstall: %v", err)
	}
}

func checkWebEIDManifest(t *testing.T, browser, path, launcher string) {
	t.Helper()
	var m manifest
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &m) != nil {
		t.Fatalf("%s: manifest %s: %v", browser, path, err)
	}
	want := manifest{Name: "eu.webeid", Description: webEIDDescription, Path: launcher, Type: "stdio",
		AllowedOrigins: []string{"chrome-extension://ncibgoaomkmdpilpocfeponihegamlic/", "chrome-extension://gnmckgbandlkacikdndelhfghdejfido/"}}
	if browser == "firefox" {
		want.AllowedOrigins, want.AllowedExtensions = nil, []string{"{e68418bc-f2b0-4459-a9ea-3e72b6751b07}"}
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("%s manifest %+v\nwant %+v", browser, m, want)
	}
}

// What replaced ours after the install is not ours to remove: uninstall
// leaves it and the older backup, and says so. Installing over a foreign
// registration while a backup exists refuses, rather than lose either.
func TestWebEIDUninstallLeavesOthers(t *testing.T) {
	p := tempPlatform(t, "linux")
	loc, _ := p.Location("chrome", WebEIDHostName)
	writeAt(t, loc.Manifest, theirs, 0o644)
	in := WebEIDInstaller{Platform: p, Binary: "/usr/bin/eidbridge", Browsers: []string{"chrome"}}
	if err := in.Install(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	newer := strings.Replace(theirs, "/opt/web-eid/web-eid", "/opt/web-eid-3/web-eid", 1)
	writeAt(t, loc.Manifest, newer, 0o644) // another application's installer, say
	if err := in.Install(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), BackupSuffix) {
		t.Errorf("install over another's registration with a backup there: %v", err)
	}
	var out bytes.Buffer
	if err := in.Uninstall(&out); err != nil {
		t.Fatal(err)
	}
	f := files(t, p.Home)
	if f[loc.Manifest] != "-rw-r--r-- "+newer || f[loc.Manifest+BackupSuffix] != "-rw-r--r-- "+theirs {
		t.Errorf("after uninstall: %v", f)
	}
	if !strings.Contains(out.String(), "not eidbridge's") {
		t.Errorf("uninstall did not say it left the registration:\n%s", out.String())
	}
}

// On Windows the browsers find the manifest through an HKCU value: that
// value is what install replaces and keeps, and uninstall puts back.
func TestWebEIDInstallWindowsRegistry(t *testing.T) {
	p := tempPlatform(t, "windows")
	chrome, _ := p.Location("chrome", WebEIDHostName)
	edge, _ := p.Location("edge", WebEIDHostName)
	official := `C:\Program Files\Web eID\eu.webeid.json`
	reg := fakeRegistry{chrome.RegKey: official}
	in := WebEIDInstaller{Platform: p, Binary: filepath.Join(p.Home, "eidbridge.exe"), Browsers: []string{"chrome", "edge"}, Registry: reg}
	if err := in.Install(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if reg[chrome.RegKey] != chrome.Manifest || reg[edge.RegKey] != edge.Manifest {
		t.Errorf("registry %v", reg)
	}
	checkWebEIDManifest(t, "chrome", chrome.Manifest, p.WebEIDLauncher())
	if b, _ := os.ReadFile(chrome.Manifest + BackupSuffix); string(b) != official {
		t.Errorf("backup of the registry value: %q", b)
	}
	if err := in.Uninstall(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if want := (fakeRegistry{chrome.RegKey: official}); !reflect.DeepEqual(reg, want) {
		t.Errorf("registry after uninstall %v, want %v", reg, want)
	}
	for _, f := range []string{chrome.Manifest, chrome.Manifest + BackupSuffix, edge.Manifest} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("left behind: %s", f)
		}
	}
}

// The two registrations live apart: removing the eidbridge extension's
// host keeps the Web eID one working, and the other way round.
func TestWebEIDAndOwnHostApart(t *testing.T) {
	p := tempPlatform(t, "linux")
	own := Installer{Platform: p, Binary: "/usr/bin/eidbridge"}
	webeid := WebEIDInstaller{Platform: p, Binary: "/usr/bin/eidbridge"}
	for _, err := range []error{own.Install(&bytes.Buffer{}), webeid.Install(&bytes.Buffer{}), own.Uninstall(&bytes.Buffer{})} {
		if err != nil {
			t.Fatal(err)
		}
	}
	loc, _ := p.Location("chromium", WebEIDHostName)
	if _, err := os.Stat(p.WebEIDLauncher()); err != nil {
		t.Errorf("the Web eID launcher went with the extension's host: %v", err)
	}
	checkWebEIDManifest(t, "chromium", loc.Manifest, p.WebEIDLauncher())
	if err := own.Install(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if err := webeid.Uninstall(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p.Launcher()); err != nil {
		t.Errorf("the extension's launcher went with Web eID: %v", err)
	}
}

func TestWebEIDLocations(t *testing.T) {
	for goos, want := range map[string]string{
		"linux":   "/h/.config/chromium/NativeMessagingHosts/eu.webeid.json",
		"darwin":  "/h/Library/Application Support/Chromium/NativeMessagingHosts/eu.webeid.json",
		"windows": `C:\Users\u\AppData\Local/eidbridge/native-messaging/eu.webeid.chromium.json`,
	} {
		loc, err := fakePlatform(goos).Location("chromium", WebEIDHostName)
		if err != nil || filepath.ToSlash(loc.Manifest) != filepath.ToSlash(want) {
			t.Errorf("%s: %q %v, want %q", goos, loc.Manifest, err, want)
		}
	}
	if got := filepath.ToSlash(fakePlatform("windows").WebEIDLauncher()); got != `C:\Users\u\AppData\Local/eidbridge/webeid-host.bat` {
		t.Errorf("windows launcher %q", got)
	}
}
