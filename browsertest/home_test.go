package browsertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
)

// userHome is a fresh citizen's home: the XDG directories that the agent's
// configuration, the relay key, the native-messaging manifest and the
// Chromium profile live in. The browser and the native host it starts
// get it as their environment.
type userHome struct {
	home, config, state, data string
}

func newHome(t *testing.T) *userHome {
	root := t.TempDir()
	h := &userHome{home: filepath.Join(root, "home"), config: filepath.Join(root, "config"),
		state: filepath.Join(root, "state"), data: filepath.Join(root, "data")}
	for _, d := range []string{h.home, h.config, h.state, h.data} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func (h *userHome) env() []string {
	return []string{"HOME=" + h.home, "XDG_CONFIG_HOME=" + h.config, "XDG_STATE_HOME=" + h.state, "XDG_DATA_HOME=" + h.data}
}

func (h *userHome) relayKey() string { return filepath.Join(h.state, "eidbridge", agent.RelayKeyFile) }

// chromiumProfile is Chromium's default profile directory in this home,
// where it also looks for native-messaging hosts on Linux.
func (h *userHome) chromiumProfile() string { return filepath.Join(h.config, "chromium") }

// setUp writes the agent's configuration (the native host reads the port
// there) and installs the native-messaging host for Chromium with the
// eidbridge command, as a citizen would.
func (h *userHome) setUp(t *testing.T, agentPort int) {
	t.Helper()
	cfg := agent.DefaultConfig()
	cfg.Port = agentPort
	if err := cfg.Save(filepath.Join(h.config, "eidbridge", "config.json")); err != nil {
		t.Fatal(err)
	}
	bin := eidbridgeBinary(t)
	cmd := exec.Command(bin, "nm-host", "install", "--browser", "chromium", "--binary", bin)
	cmd.Env = append(os.Environ(), h.env()...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("eidbridge nm-host install: %v\n%s", err, out)
	}
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string // removed by TestMain
)

// eidbridgeBinary is $EIDBRIDGE_BIN, or eidbridge built once for the run.
func eidbridgeBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binPath = os.Getenv("EIDBRIDGE_BIN"); binPath != "" {
			return
		}
		if binDir, binErr = os.MkdirTemp("", "eidbridge-browsertest-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "eidbridge")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		out, err := exec.Command(goTool(), "build", "-o", binPath, "../cmd/eidbridge").CombinedOutput()
		if err != nil {
			binErr = &buildError{err, string(out)}
		}
	})
	if binErr != nil {
		t.Fatalf("building eidbridge: %v", binErr)
	}
	return binPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// goTool is the go command that runs these tests.
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}
