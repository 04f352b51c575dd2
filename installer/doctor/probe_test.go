package doctor

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

type noUI struct{}

func (noUI) Ask(context.Context, ui.Question) ([]byte, error) { return nil, ui.ErrCancelled }

// serve runs h on a loopback port until the test ends.
func serve(t *testing.T, h http.Handler) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

// The real agent refuses the doctor's handshake with a reset and no
// answer, and that is what tells it apart from another web server.
func TestProbeHandshake(t *testing.T) {
	allow, _ := agent.NewAllowlist(agent.DefaultOrigins)
	srv, err := agent.New(agent.Options{Cards: agent.NewVirtualCards(), UI: noUI{}, Origins: allow})
	if err != nil {
		t.Fatal(err)
	}
	h, err := ProbeHandshake(context.Background(), serve(t, srv))
	if err != nil || !h.Dropped {
		t.Errorf("agent: %+v %v, want the connection dropped", h, err)
	}
	other := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Server", "nginx")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("forbidden"))
	})
	if h, err := ProbeHandshake(context.Background(), serve(t, other)); err != nil || h.Dropped || h.Status != 403 {
		t.Errorf("another server: %+v %v, want its 403", h, err)
	}
}

type fakeRunner struct {
	out string
	err error
}

func (f fakeRunner) Run(context.Context, string, ...string) (string, error) { return f.out, f.err }

func TestProbeSystemd(t *testing.T) {
	dir := t.TempDir()
	user, pkg := filepath.Join(dir, "user.service"), filepath.Join(dir, "pkg.service")
	places := []placed{{user, "eidbridge install"}, {pkg, "the package"}}
	if s := probeSystemd(context.Background(), fakeRunner{out: "enabled"}, places); s.Installed {
		t.Errorf("no unit file: %+v, want not installed", s)
	}
	os.WriteFile(pkg, nil, 0o644)
	tests := []struct {
		run              fakeRunner
		enabled, wantErr bool
		state            string
	}{
		{fakeRunner{out: "enabled"}, true, false, "enabled"},
		{fakeRunner{out: "masked", err: errors.New("exit status 1")}, false, false, "masked"},
		{fakeRunner{out: "disabled", err: errors.New("exit status 1")}, false, false, "disabled"},
		{fakeRunner{err: errors.New("systemctl: not found")}, false, true, ""},
	}
	for _, tt := range tests {
		s := probeSystemd(context.Background(), tt.run, places)
		if !s.Installed || s.By != "the package" || s.Enabled != tt.enabled || s.State != tt.state || (s.Err != nil) != tt.wantErr {
			t.Errorf("%+v: got %+v", tt.run, s)
		}
	}
	os.WriteFile(user, nil, 0o644)
	if s := probeSystemd(context.Background(), fakeRunner{out: "enabled"}, places); s.By != "eidbridge install" || s.Where != user {
		t.Errorf("the user's unit must win: %+v", s)
	}
}

const testHost = "org.example.doctor_test"

func writeManifest(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestProbeNativeHostsLinux(t *testing.T) {
	home := t.TempDir()
	prog := filepath.Join(home, "bin", "eidbridge")
	writeManifest(t, prog, "#!/bin/sh\n")
	os.Chmod(prog, 0o755)
	good := `{"name":"` + testHost + `","type":"stdio","path":"` + prog + `","allowed_origins":["chrome-extension://abc/"]}`
	writeManifest(t, filepath.Join(home, ".config/chromium/NativeMessagingHosts", testHost+".json"), good)
	os.MkdirAll(filepath.Join(home, ".config/google-chrome"), 0o755) // Chrome used, nothing registered
	writeManifest(t, filepath.Join(home, ".mozilla/native-messaging-hosts", testHost+".json"), "{")
	var locs []HostLocation
	for id, dir := range map[string]string{"chrome": ".config/google-chrome", "chromium": ".config/chromium",
		"edge": ".config/microsoft-edge", "firefox": ".mozilla"} {
		sub := "NativeMessagingHosts"
		if id == "firefox" {
			sub = "native-messaging-hosts"
		}
		locs = append(locs, HostLocation{ID: id, Browser: id, Manifest: filepath.Join(home, dir, sub, testHost+".json")})
	}
	byName := map[string]HostInfo{}
	for _, h := range ProbeNativeHosts("linux", locs, testHost, nil) {
		byName[h.Browser] = h
	}
	if h := byName["chromium"]; !h.BrowserFound || h.Err != nil || h.Program != prog || !h.ProgramOK {
		t.Errorf("Chromium: %+v, want registered with %s", h, prog)
	}
	if h := byName["chrome"]; !h.BrowserFound || h.Manifest != "" {
		t.Errorf("Chrome: %+v, want found without a manifest", h)
	}
	if h := byName["firefox"]; h.Err == nil || !strings.Contains(h.Err.Error(), "JSON") {
		t.Errorf("Firefox: %+v, want the bad JSON reported", h)
	}
	if h := byName["edge"]; h.BrowserFound || h.Manifest != "" {
		t.Errorf("Edge: %+v, want absent", h)
	}
}

type fakeRegistry map[string]string

func (r fakeRegistry) Value(key, name string) (string, bool, error) {
	v, ok := r[key+`\`+name]
	return v, ok, nil
}

func (r fakeRegistry) KeyExists(key string) (bool, error) {
	for k := range r {
		if strings.HasPrefix(k, key+`\`) {
			return true, nil
		}
	}
	return false, nil
}

func (r fakeRegistry) SetValue(key, name, value string) error { r[key+`\`+name] = value; return nil }
func (r fakeRegistry) DeleteValue(key, name string) error     { delete(r, key+`\`+name); return nil }

func TestProbeNativeHostsWindows(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "host.json")
	writeManifest(t, filepath.Join(dir, "eidbridge.exe"), "MZ")
	// A relative path is relative to the manifest on Windows.
	writeManifest(t, manifest, `{"name":"`+testHost+`","type":"stdio","path":"eidbridge.exe","allowed_origins":["chrome-extension://abc/"]}`)
	reg := fakeRegistry{`Software\Google\Chrome\NativeMessagingHosts\` + testHost + `\`: manifest}
	locs := []HostLocation{
		{ID: "chrome", Browser: "Google Chrome", Manifest: filepath.Join(dir, "elsewhere.json"),
			RegKey: `Software\Google\Chrome\NativeMessagingHosts\` + testHost},
		{ID: "firefox", Browser: "Firefox", Manifest: filepath.Join(dir, "ff.json"),
			RegKey: `Software\Mozilla\NativeMessagingHosts\` + testHost},
	}
	for _, h := range ProbeNativeHosts("windows", locs, testHost, reg) {
		switch h.Browser {
		case "Google Chrome":
			if !h.BrowserFound || h.Manifest != manifest || !h.ProgramOK || h.Program != filepath.Join(dir, "eidbridge.exe") {
				t.Errorf("Chrome: %+v", h)
			}
		default:
			if h.BrowserFound || h.Manifest != "" {
				t.Errorf("%s: %+v, want absent", h.Browser, h)
			}
		}
	}
}

func TestReadHostManifestRefusesWhatBrowsersRefuse(t *testing.T) {
	dir := t.TempDir()
	for body, want := range map[string]string{
		`{"name":"other","type":"stdio","path":"/x","allowed_origins":["a"]}`:          `name is "other"`,
		`{"name":"` + testHost + `","type":"ipc","path":"/x","allowed_origins":["a"]}`: "type",
		`{"name":"` + testHost + `","type":"stdio","allowed_origins":["a"]}`:           "no program",
		`{"name":"` + testHost + `","type":"stdio","path":"/x"}`:                       "no extension",
	} {
		p := filepath.Join(dir, "m.json")
		writeManifest(t, p, body)
		if _, err := readHostManifest(p, testHost); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	ci := LoadConfig(filepath.Join(dir, "none.json"))
	if ci.Exists || ci.Err != nil || ci.Config.Port != agent.DefaultPort {
		t.Errorf("missing file: %+v, want the defaults", ci)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"port": 0}`), 0o600)
	if ci := LoadConfig(bad); !ci.Exists || ci.Err == nil || !strings.Contains(ci.Err.Error(), "port 0") {
		t.Errorf("bad file: %+v, want the agent's error", ci)
	}
}
