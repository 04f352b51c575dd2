package main

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

func (f fakeRegistry) set(k, v string) error { f[k] = v; return nil }
func (f fakeRegistry) remove(k string) error { delete(f, k); return nil }

func tempPlatform(t *testing.T, goos string) nmPlatform {
	home := t.TempDir()
	return nmPlatform{goos: goos, home: home, configHome: filepath.Join(home, "cfg"),
		dataHome: filepath.Join(home, "data"), localAppData: filepath.Join(home, "AppData", "Local")}
}

func TestInstallUninstallPerOS(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows"} {
		t.Run(goos, func(t *testing.T) {
			reg := fakeRegistry{}
			in := nmInstall{plat: tempPlatform(t, goos), binary: "/usr/bin/eidbridge", reg: reg}
			var out bytes.Buffer
			if err := in.install(&out); err != nil {
				t.Fatal(err)
			}
			launcher := in.plat.launcher()
			script, err := os.ReadFile(launcher)
			if err != nil || !strings.Contains(string(script), "eidbridge' nm-host") && !strings.Contains(string(script), `eidbridge" nm-host`) {
				t.Fatalf("launcher %s: %q %v", launcher, script, err)
			}
			if fi, _ := os.Stat(launcher); goos != "windows" && runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0 {
				t.Errorf("launcher mode %v is not executable", fi.Mode())
			}
			for _, b := range nmBrowsers {
				loc, _ := in.plat.location(b)
				var m nmManifest
				data, err := os.ReadFile(loc.manifest)
				if err != nil || json.Unmarshal(data, &m) != nil {
					t.Fatalf("%s manifest %s: %v", b, loc.manifest, err)
				}
				if m.Path != launcher || m.Name != nmHostName || m.Type != "stdio" {
					t.Errorf("%s manifest %+v", b, m)
				}
				if (b == "firefox") != (len(m.AllowedExtensions) == 1 && len(m.AllowedOrigins) == 0) {
					t.Errorf("%s manifest allows %v %v", b, m.AllowedOrigins, m.AllowedExtensions)
				}
				if (goos == "windows") != (reg[loc.regKey] == loc.manifest) {
					t.Errorf("%s registry %v", b, reg)
				}
				if !strings.Contains(out.String(), loc.manifest) {
					t.Errorf("install did not report %s:\n%s", loc.manifest, out.String())
				}
			}
			out.Reset()
			if err := in.uninstall(&out); err != nil {
				t.Fatal(err)
			}
			if len(reg) != 0 {
				t.Errorf("registry keys left: %v", reg)
			}
			filepath.Walk(in.plat.home, func(p string, fi os.FileInfo, _ error) error {
				if fi != nil && !fi.IsDir() {
					t.Errorf("left behind: %s", p)
				}
				return nil
			})
			if err := in.uninstall(&out); err != nil {
				t.Errorf("a second uninstall: %v", err)
			}
		})
	}
}

// Installing for some browsers touches only theirs, and uninstalling one
// keeps the launcher the others still use.
func TestInstallSomeBrowsers(t *testing.T) {
	p := tempPlatform(t, "linux")
	in := nmInstall{plat: p, binary: "/usr/bin/eidbridge", browsers: []string{"chromium", "firefox"},
		chromeIDs: []string{strings.Repeat("b", 32)}}
	if err := in.install(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, b := range nmBrowsers {
		loc, _ := p.location(b)
		_, err := os.Stat(loc.manifest)
		if want := slices.Contains(in.browsers, b); (err == nil) != want {
			t.Errorf("%s: manifest there %v, want %v", b, err == nil, want)
		}
	}
	loc, _ := p.location("chromium")
	data, _ := os.ReadFile(loc.manifest)
	if !strings.Contains(string(data), "chrome-extension://"+strings.Repeat("b", 32)+"/") || strings.Contains(string(data), devChromeID) {
		t.Errorf("chromium manifest does not allow exactly the given ID: %s", data)
	}
	one := nmInstall{plat: p, browsers: []string{"chromium"}}
	if err := one.uninstall(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p.launcher()); err != nil {
		t.Errorf("the launcher went with one browser: %v", err)
	}
}

func TestInstallRefusesBadInput(t *testing.T) {
	p := tempPlatform(t, "linux")
	for name, in := range map[string]nmInstall{
		"browser":         {browsers: []string{"netscape"}},
		"chrome id":       {chromeIDs: []string{"ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP"}},
		"short chrome id": {chromeIDs: []string{"abc"}},
		"firefox id":      {firefoxIDs: []string{"not an id"}},
		"relative binary": {binary: "eidbridge"},
	} {
		in.plat = p
		if in.binary == "" {
			in.binary = "/usr/bin/eidbridge"
		}
		if err := in.install(&bytes.Buffer{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if entries, _ := os.ReadDir(p.home); len(entries) != 0 {
		t.Errorf("a refused install wrote %v", entries)
	}
	ok := nmInstall{plat: p, binary: "/usr/bin/eidbridge", firefoxIDs: []string{"{12345678-1234-1234-1234-123456789abc}"}}
	if err := ok.install(&bytes.Buffer{}); err != nil {
		t.Errorf("a GUID Firefox ID: %v", err)
	}
}
