package packaging

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// testVersion is what the test build's `eidbridge version` prints.
const testVersion = "9.9.9-pkgtest"

// needSystemTest skips unless the system tests may change this machine:
// they install and remove a package, as root, with dpkg.
func needSystemTest(t *testing.T) {
	t.Helper()
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") != "1" {
		t.Skip("system test: installs the .deb on this machine; set EIDBRIDGE_PCSC_TESTS=1 (make test does)")
	}
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("system test: installing a package needs root on Linux")
	}
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("system test: this machine has no dpkg")
	}
}

// built is the binary and the packages, made once for all tests.
var built struct {
	once          sync.Once
	dir, bin, deb string
	rpm           string
	err           error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// repoRoot is the module root, this package's parent.
func repoRoot() string { return ".." }

// buildPackages builds the binary once and the .deb and .rpm from it.
func buildPackages(t *testing.T) (deb, rpm string) {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "eidbridge-pkg-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "eidbridge")
		out := filepath.Join(built.dir, "out")
		if built.err = command(10*time.Minute, "go", "build", "-ldflags", "-X main.version="+testVersion,
			"-o", built.bin, "./cmd/eidbridge"); built.err != nil {
			return
		}
		if built.err = command(10*time.Minute, "packaging/build-packages.sh", built.bin, testVersion, out); built.err != nil {
			return
		}
		built.deb = one(out, "*.deb")
		built.rpm = one(out, "*.rpm")
	})
	if built.err != nil {
		t.Fatalf("building the packages: %v", built.err)
	}
	if built.deb == "" || built.rpm == "" {
		t.Fatalf("the build made no .deb or no .rpm in %s", built.dir)
	}
	return built.deb, built.rpm
}

func one(dir, pattern string) string {
	m, _ := filepath.Glob(filepath.Join(dir, pattern))
	if len(m) != 1 {
		return ""
	}
	return m[0]
}

// command runs name in the repository root with a deadline.
func command(limit time.Duration, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = repoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// run runs a command (with extra environment) and returns its output,
// failing the test when it fails.
func run(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// installed tells whether dpkg has the package installed.
func installed(pkg string) bool {
	out, err := exec.Command("dpkg-query", "-W", "-f=${Status}", pkg).Output()
	return err == nil && strings.Contains(string(out), "install ok installed")
}

// watched are the places the package writes to; snapshot lists what is
// in them, to compare the machine before and after.
var watched = []string{"/usr/bin/eidbridge", "/usr/lib/eidbridge", "/usr/lib/systemd/user", "/etc/systemd/user",
	"/etc/opt", "/etc/chromium", "/usr/lib/mozilla", "/usr/share/doc/eidbridge", "/var/lib/eidbridge"}

func snapshot(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, root := range watched {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil {
				out = append(out, p)
			}
			return nil
		})
	}
	sort.Strings(out)
	return out
}
