package installer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kardianos/service"
)

// fakeRunner records commands; a command whose line contains a key of
// fail fails with that error, and out gives outputs by the same rule.
type fakeRunner struct {
	mu    sync.Mutex
	calls []string
	fail  map[string]error
	out   map[string]string
	after func(line string) // runs after each call (e.g. close a listener)
}

func (f *fakeRunner) Run(_ context.Context, name string, args ...string) (string, error) {
	line := strings.Join(append([]string{name}, args...), " ")
	f.mu.Lock()
	f.calls = append(f.calls, line)
	f.mu.Unlock()
	if f.after != nil {
		defer f.after(line)
	}
	var out string
	for k, v := range f.out {
		if strings.Contains(line, k) {
			out = v
		}
	}
	for k, err := range f.fail {
		if strings.Contains(line, k) {
			return out, err
		}
	}
	return out, nil
}

func (f *fakeRunner) ran(sub string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.Contains(c, sub) {
			n++
		}
	}
	return n
}

// fakeControl counts what the installer asked the service manager.
type fakeControl struct {
	starts, stops, restarts int
	startErr, stopErr       error
	status                  service.Status
	statusErr               error
}

func (c *fakeControl) Start() error   { c.starts++; return c.startErr }
func (c *fakeControl) Stop() error    { c.stops++; return c.stopErr }
func (c *fakeControl) Restart() error { c.restarts++; return c.startErr }
func (c *fakeControl) Status() (service.Status, error) {
	return c.status, c.statusErr
}

// fakeRegistry is HKCU as a map of key\name to value.
type fakeRegistry struct {
	values  map[string]string
	failSet error
}

func (r *fakeRegistry) Value(key, name string) (string, bool, error) {
	v, ok := r.values[key+`\`+name]
	return v, ok, nil
}

func (r *fakeRegistry) KeyExists(key string) (bool, error) {
	for k := range r.values {
		if strings.HasPrefix(k, key+`\`) {
			return true, nil
		}
	}
	return false, nil
}

func (r *fakeRegistry) SetValue(key, name, value string) error {
	if r.failSet != nil {
		return r.failSet
	}
	r.values[key+`\`+name] = value
	return nil
}

func (r *fakeRegistry) DeleteValue(key, name string) error {
	delete(r.values, key+`\`+name)
	return nil
}

// testInstaller is an installer for goos around a fresh temporary home,
// with every outside effect faked.
func testInstaller(t *testing.T, goos string) (*Installer, *fakeRunner, *fakeControl, *fakeRegistry) {
	t.Helper()
	home := t.TempDir()
	l := Layout{GOOS: goos, Exe: "/opt/eidbridge/bin/eidbridge", AgentExe: "/opt/eidbridge/bin/eidbridge", Home: home,
		ConfigPath: filepath.Join(home, ".config", "eidbridge", "config.json"),
		StateDir:   filepath.Join(home, ".local", "state", "eidbridge"),
		UnitDir:    filepath.Join(home, ".config", "systemd", "user"), Port: 51950}
	if goos == "windows" {
		l.Exe, l.AgentExe = `C:\eidbridge\eidbridge.exe`, `C:\eidbridge\eidbridgew.exe`
	}
	run := &fakeRunner{out: map[string]string{"is-enabled": "disabled"}}
	ctl := &fakeControl{}
	reg := &fakeRegistry{values: map[string]string{}}
	in := &Installer{Layout: l, Version: "1.2.3", Config: []byte("{\"port\": 51950}\n"), Runner: run,
		Registry: reg, Control: ctl, Now: func() time.Time { return time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) }}
	return in, run, ctl, reg
}

// tree lists every path under root with the content of files, for
// before/after comparisons.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func keys(m map[string]string) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}

func mustInstall(t *testing.T, in *Installer) []string {
	t.Helper()
	notes, err := in.Install(context.Background())
	if err != nil {
		t.Fatalf("Install: %v", err)
	}
	return notes
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var errBoom = errors.New("boom")
