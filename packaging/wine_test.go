package packaging

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// wine is a throwaway Wine prefix: one Windows user, HKEY_CURRENT_USER
// and a C: drive of its own. Wine runs the Windows programs headless.
type wine struct {
	t      *testing.T
	prefix string
	bin    string // wine64
	env    []string
	tmp    string // for the programs' output
	// profile is the user's C:\users\NAME in Windows and Unix form.
	profile, profileDir string
	port                int // the agent's, in the user's config.json
}

// wineBin finds wine64: Debian's wine64 package keeps it in /usr/lib/wine
// (the wine package adds /usr/bin/wine64).
func wineBin() string {
	if p, err := exec.LookPath("wine64"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/lib/wine/wine64"); err == nil {
		return "/usr/lib/wine/wine64"
	}
	return ""
}

// needWine gates the Wine tests like the other system tests, and fails,
// not skips, without their tools: make test installs them.
func needWine(t *testing.T) string {
	t.Helper()
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") != "1" {
		t.Skip("system test: installs the MSI under Wine; set EIDBRIDGE_PCSC_TESTS=1 (make test does)")
	}
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the Wine tests run x64 Windows programs: linux/amd64 only")
	}
	needTools(t, "wixl", "msiinfo") // fails here: EIDBRIDGE_PCSC_TESTS is set
	bin := wineBin()
	if bin == "" {
		t.Fatal("needs wine64 (Debian: apt install --no-install-recommends wine64; make test installs it)")
	}
	return bin
}

// newWine makes the prefix, gives Go programs the ProcessPrng they need
// when this Wine lacks it, and writes the user's config.json with a free
// port, so that the agents started here never meet those of this
// machine's tests on the default port.
func newWine(t *testing.T) *wine {
	t.Helper()
	w := &wine{t: t, bin: needWine(t), prefix: t.TempDir(), tmp: t.TempDir()}
	// No Mono, no Gecko, and no menu entries: with HOME and the XDG
	// directories in the test's own folder, nothing lands in the real home.
	home := t.TempDir()
	w.env = []string{"WINEPREFIX=" + w.prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d",
		"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_DATA_HOME=" + filepath.Join(home, ".local/share"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"DISPLAY=", "WAYLAND_DISPLAY=", "PATH=" + filepath.Dir(w.bin) + ":" + os.Getenv("PATH")}
	t.Cleanup(w.kill)
	w.must("wineboot", "-i")
	shim := filepath.Join(w.prefix, "drive_c/windows/system32/bcryptprimitives.dll")
	if _, err := os.Stat(shim); os.IsNotExist(err) {
		write(t, shim, string(forwarderDLL("bcryptprimitives.dll", "ProcessPrng", "advapi32.SystemFunction036")))
	}
	users, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c/users/*/AppData/Roaming"))
	for _, u := range users {
		if name := filepath.Base(filepath.Dir(filepath.Dir(u))); name != "Public" {
			w.profile, w.profileDir = `C:\users\`+name, filepath.Dir(filepath.Dir(u))
		}
	}
	if w.profile == "" {
		t.Fatalf("wineboot made no user profile in %s", w.prefix)
	}
	w.port = freePort(t)
	write(t, filepath.Join(w.profileDir, "AppData/Roaming/eidbridge/config.json"), fmt.Sprintf(`{"port": %d}`+"\n", w.port))
	return w
}

// in is the prefix for a subtest.
func (w *wine) in(t *testing.T) *wine {
	c := *w
	c.t = t
	return &c
}

// kill ends every process of the prefix (the agents, Wine's services).
func (w *wine) kill() {
	server := filepath.Join(filepath.Dir(w.bin), "wineserver")
	for _, arg := range []string{"-k", "-w"} {
		cmd := exec.Command(server, arg)
		cmd.Env = append(os.Environ(), w.env...)
		cmd.Run()
	}
}

// run runs a Windows program. Its output goes through a file: a pipe
// would stay open as long as an agent it started runs.
func (w *wine) run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := os.CreateTemp(w.tmp, "out")
	if err != nil {
		return "", err
	}
	defer out.Close()
	cmd := exec.CommandContext(ctx, w.bin, args...)
	cmd.Env = append(os.Environ(), w.env...)
	cmd.Stdout, cmd.Stderr = out, out
	err = cmd.Run()
	b, _ := os.ReadFile(out.Name())
	return strings.ReplaceAll(string(b), "\r\n", "\n"), err
}

func (w *wine) must(args ...string) string {
	w.t.Helper()
	out, err := w.run(args...)
	if err != nil {
		w.t.Fatalf("wine64 %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// unix is the file a C:\ path names in the prefix.
func (w *wine) unix(winPath string) string {
	rest, ok := strings.CutPrefix(winPath, `C:\`)
	if !ok {
		w.t.Fatalf("%q is not on C:", winPath)
	}
	return filepath.Join(w.prefix, "drive_c", filepath.FromSlash(strings.ReplaceAll(rest, `\`, "/")))
}

// regValue reads a string value under HKEY_CURRENT_USER; name "" is the
// key's default value.
func (w *wine) regValue(key, name string) (string, bool) {
	sel := []string{"/v", name}
	if name == "" {
		sel = []string{"/ve"}
	}
	out, err := w.run(append([]string{"reg", "query", `HKCU\` + key}, sel...)...)
	if err != nil {
		return "", false
	}
	for _, l := range strings.Split(out, "\n") {
		if _, v, ok := strings.Cut(l, "    REG_SZ    "); ok {
			return v, true
		}
	}
	return "", false
}

// waitAgent waits until the agent listens on its port, or stops.
func (w *wine) waitAgent(listen bool) {
	w.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(w.port), time.Second)
		if err == nil {
			c.Close()
		}
		if (err == nil) == listen {
			return
		}
	}
	w.t.Fatalf("the agent did not %s port %d", map[bool]string{true: "listen on", false: "leave"}[listen], w.port)
}

// agentStatus is what `eidbridge status` says of the agent ("running",
// "stopped", ...), and whether it exited 0 (only when running).
func (w *wine) agentStatus(exe string) (string, bool) {
	out, err := w.run(exe, "status")
	for _, l := range strings.Split(out, "\n") {
		if s, ok := strings.CutPrefix(l, "agent:"); ok {
			return strings.TrimSpace(s), err == nil
		}
	}
	w.t.Fatalf("%s status says nothing of the agent (%v):\n%s", exe, err, out)
	return "", false
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// buildWindows builds eidbridge.exe, eidbridgew.exe (a GUI program) and
// the MSI as packaging/cross.sh does, into a temporary directory.
func buildWindows(t *testing.T) (dir, msi string) {
	t.Helper()
	dir = t.TempDir()
	for exe, ld := range map[string]string{"eidbridge.exe": "", "eidbridgew.exe": " -H windowsgui"} {
		cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+testVersion+ld, "-o", filepath.Join(dir, exe), "./cmd/eidbridge")
		cmd.Dir, cmd.Env = repoRoot(), append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", exe, err, out)
		}
	}
	if err := command(5*time.Minute, "packaging/build-msi.sh", testVersion, dir); err != nil {
		t.Fatal(err)
	}
	return dir, filepath.Join(dir, "eidbridge-"+testVersion+".msi")
}
