package nmhost

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// fakeRegistry records HKCU keys.
type fakeRegistry map[string]string

func (f fakeRegistry) Get(k string) (string, bool, error) { v, ok := f[k]; return v, ok, nil }
func (f fakeRegistry) Set(k, v string) error              { f[k] = v; return nil }
func (f fakeRegistry) Remove(k string) error              { delete(f, k); return nil }

func tempPlatform(t *testing.T, goos string) Platform {
	home := t.TempDir()
	return Platform{GOOS: goos, Home: home, ConfigHome: filepath.Join(home, "cfg"),
		DataHome: filepath.Join(home, "data"), LocalAppData: filepath.Join(home, "AppData", "Local")}
}

func TestInstallUninstallPerOS(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows"} {
		t.Run(goos, func(t *testing.T) {
			reg := fakeRegistry{}
			in := Installer{Platform: tempPlatform(t, goos), Binary: "/usr/bin/eidbridge", Registry: reg}
			var out bytes.Buffer
			if err := in.Install(&out); err != nil {
				t.Fatal(err)
			}
			launcher := in.Platform.Launcher()
			script, err := os.ReadFile(launcher)
			if err != nil || !strings.Contains(string(script), "eidbridge' nm-host") && !strings.Contains(string(script), `eidbridge" nm-host`) {
				t.Fatalf("launcher %s: %q %v", launcher, script, err)
			}
			if fi, _ := os.Stat(launcher); goos != "windows" && runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0 {
				t.Errorf("launcher mode %v is not executable", fi.Mode())
			}
			for _, b := range Browsers {
				loc, _ := in.Platform.Location(b, HostName)
				var m manifest
				data, err := os.ReadFile(loc.Manifest)
				if err != nil || json.Unmarshal(data, &m) != nil {
					t.Fatalf("%s manifest %s: %v", b, loc.Manifest, err)
				}
				if m.Path != launcher || m.Name != HostName || m.Type != "stdio" {
					t.Errorf("%s manifest %+v", b, m)
				}
				if (b == "firefox") != (len(m.AllowedExtensions) == 1 && len(m.AllowedOrigins) == 0) {
					t.Errorf("%s manifest allows %v %v", b, m.AllowedOrigins, m.AllowedExtensions)
				}
				if (goos == "windows") != (reg[loc.RegKey] == loc.Manifest) {
					t.Errorf("%s registry %v", b, reg)
				}
				if !strings.Contains(out.String(), loc.Manifest) {
					t.Errorf("install did not report %s:\n%s", loc.Manifest, out.String())
				}
			}
			out.Reset()
			if err := in.Uninstall(&out); err != nil {
				t.Fatal(err)
			}
			if len(reg) != 0 {
				t.Errorf("registry keys left: %v", reg)
			}
			filepath.Walk(in.Platform.Home, func(p string, fi os.FileInfo, _ error) error {
				if fi != nil && !fi.IsDir() {
					t.Errorf("left behind: %s", p)
				}
				return nil
			})
			if err := in.Uninstall(&out); err != nil {
				t.Errorf("a second uninstall: %v", err)
			}
		})
	}
}

// Installing for some browsers touches only theirs, and uninstalling one
// keeps the launcher the others still use.
func TestInstallSomeBrowsers(t *testing.T) {
	p := tempPlatform(t, "linux")
	in := Installer{Platform: p, Binary: "/usr/bin/eidbridge", Browsers: []string{"chromium", "firefox"},
		ChromeIDs: []string{strings.Repeat("b", 32)}}
	if err := in.Install(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, b := range Browsers {
		loc, _ := p.Location(b, HostName)
		_, err := os.Stat(loc.Manifest)
		if want := slices.Contains(in.Browsers, b); (err == nil) != want {
			t.Errorf("%s: manifest there %v, want %v", b, err == nil, want)
		}
	}
	loc, _ := p.Location("chromium", HostName)
	data, _ := os.ReadFile(loc.Manifest)
	if !strings.Contains(string(data), "chrome-extension://"+strings.Repeat("b", 32)+"/") || strings.Contains(string(data), DevChromeID) {
		t.Errorf("chromium manifest does not allow exactly the given ID: %s", data)
	}
	one := Installer{Platform: p, Browsers: []string{"chromium"}}
	if err := one.Uninstall(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p.Launcher()); err != nil {
		t.Errorf("the launcher went with one browser: %v", err)
	}
}

func TestInstallRefusesBadInput(t *testing.T) {
	p := tempPlatform(t, "linux")
	for name, in := range map[string]Installer{
		"browser":         {Browsers: []string{"netscape"}},
		"chrome id":       {ChromeIDs: []string{"ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP"}},
		"short chrome id": {ChromeIDs: []string{"abc"}},
		"firefox id":      {FirefoxIDs: []string{"not an id"}},
		"relative binary": {Binary: "eidbridge"},
	} {
		in.Platform = p
		if in.Binary == "" {
			in.Binary = "/usr/bin/eidbridge"
		}
		if err := in.Install(&bytes.Buffer{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if entries, _ := os.ReadDir(p.Home); len(entries) != 0 {
		t.Errorf("a refused install wrote %v", entries)
	}
	ok := Installer{Platform: p, Binary: "/usr/bin/eidbridge", FirefoxIDs: []string{"{12345678-1234-1234-1234-123456789abc}"}}
	if err := ok.Install(&bytes.Buffer{}); err != nil {
		t.Errorf("a GUID Firefox ID: %v", err)
	}
}
