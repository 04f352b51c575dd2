package packaging

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// globalLink is what the postinstall scriptlet makes in a root without
// systemctl (the same link `systemctl --global enable` makes).
const globalLink = "/etc/systemd/user/default.target.wants/eidbridge.service"

// The .rpm installs into a throwaway root with its scriptlets, which
// enable the agent for every user; an upgrade keeps that choice (enabled
// or disabled by the administrator); `rpm -e` removes every file and
// directory it added and the enable link.
func TestRPMInstallAndRemove(t *testing.T) {
	rpm := needRPM(t)
	root := newRoot(t)
	before := rootSnapshot(t, root)

	rpmIn(t, root, "-i", rpm)
	checkRPMInstalled(t, root)
	if out := run(t, nil, "chroot", root, "/usr/bin/eidbridge", "version"); strings.TrimSpace(out) != "eidbridge "+testVersion {
		t.Errorf("eidbridge version in the root: %q", out)
	}
	// -U of the same package runs the scriptlets as an upgrade does: the
	// new %post with 2, then the old %preun with 1.
	rpmIn(t, root, "-U", "--replacepkgs", rpm)
	checkEnabled(t, root, true, "after an upgrade of an enabled agent")
	rpmIn(t, root, "-e", "eidbridge")
	if after := rootSnapshot(t, root); !slices.Equal(before, after) {
		t.Errorf("after rpm -e the root differs:\nbefore %q\nafter  %q", before, after)
	}

	rpmIn(t, root, "-i", rpm)
	if err := os.Remove(filepath.Join(root, globalLink)); err != nil { // the administrator disables it
		t.Fatal(err)
	}
	rpmIn(t, root, "-U", "--replacepkgs", rpm)
	checkEnabled(t, root, false, "after an upgrade of an agent the administrator disabled")
	rpmIn(t, root, "-e", "eidbridge")
	if exec.Command("rpm", "--root", root, "--dbpath", "/var/lib/rpm", "-q", "eidbridge").Run() == nil {
		t.Error("rpm -e left eidbridge installed")
	}
	if after := rootSnapshot(t, root); !slices.Equal(before, after) {
		t.Errorf("after rpm -e the root differs:\nbefore %q\nafter  %q", before, after)
	}
}

func checkRPMInstalled(t *testing.T, root string) {
	t.Helper()
	rpmIn(t, root, "-V", "eidbridge") // every file's digest, mode and owner as packaged
	for p, mode := range rpmFiles {
		got := "missing"
		if fi, err := os.Lstat(filepath.Join(root, p)); err == nil {
			got = rpmMode(fi.Mode())
		}
		if got != mode {
			t.Errorf("%s in the root: mode %s, want %s", p, got, mode)
		}
	}
	checkUnit(t, root)
	checkHostManifests(t, root)
	checkEnabled(t, root, true, "after the installation")
}

// rpmMode is a mode as rpm --dump shows it.
func rpmMode(m fs.FileMode) string {
	bits := uint32(m.Perm())
	switch {
	case m.IsDir():
		bits |= 0o40000
	case m.IsRegular():
		bits |= 0o100000
	}
	return fmt.Sprintf("0%o", bits)
}

// checkEnabled checks the link that starts the agent at every login.
func checkEnabled(t *testing.T, root string, want bool, when string) {
	t.Helper()
	target, err := os.Readlink(filepath.Join(root, globalLink))
	switch {
	case want && target != "/usr/lib/systemd/user/eidbridge.service":
		t.Errorf("%s: %s -> %q (%v), want the unit", when, globalLink, target, err)
	case !want && err == nil:
		t.Errorf("%s: %s exists, want none", when, globalLink)
	}
}

// rpmIn runs rpm on the root. --nodeps: the root's rpm database has no
// pcsc-lite (its library is copied in, see newRoot). A scriptlet never
// fails the operation, so its errors are looked for in the output.
func rpmIn(t *testing.T, root string, args ...string) {
	t.Helper()
	out := run(t, nil, "rpm", append([]string{"--root", root, "--dbpath", "/var/lib/rpm", "--nodeps"}, args...)...)
	if strings.Contains(out, "scriptlet") || strings.Contains(out, "rpm-tmp") {
		t.Errorf("rpm %s: a scriptlet failed:\n%s", strings.Join(args, " "), out)
	}
}

// newRoot is a throwaway system for rpm --root: an empty rpm database,
// the directories every system has, /dev/null, and, copied from this
// machine with the libraries they load, /bin/sh and the programs the
// scriptlets run and the libraries eidbridge links to (what glibc and
// pcsc-lite-libs provide), so that both run chrooted in it. There is no
// systemctl, so the scriptlets make the enable link by hand (the .deb
// test covers systemctl), and no user is logged in there.
func newRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"dev", "etc/opt", "etc/systemd/user", "usr/bin", "usr/lib/systemd/user", "usr/share/doc", "var/tmp"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	run(t, nil, "mknod", "-m", "666", filepath.Join(root, "dev/null"), "c", "1", "3")
	copyInto(t, root, "/bin/sh", "/bin/sh")
	for _, prog := range []string{"mkdir", "ln", "rm", "rmdir", "cp"} {
		p, err := exec.LookPath(prog)
		if err != nil {
			t.Fatalf("the scriptlets need %s: %v", prog, err)
		}
		copyInto(t, root, p, p)
	}
	copyInto(t, root, built.bin, "") // its libraries only: the package brings it
	run(t, nil, "rpm", "--root", root, "--dbpath", "/var/lib/rpm", "--initdb")
	return root
}

// copyInto copies the program (to dst in the root, unless dst is empty)
// and the shared libraries it loads (to their paths) into the root.
func copyInto(t *testing.T, root, prog, dst string) {
	t.Helper()
	files := map[string]string{}
	if dst != "" {
		files[dst] = prog
	}
	out, err := exec.Command("ldd", prog).Output() // fails for a static program: no libraries
	if err == nil {
		for _, f := range strings.Fields(string(out)) {
			if strings.HasPrefix(f, "/") {
				files[f] = f
			}
		}
	}
	for to, from := range files {
		b, err := os.ReadFile(from)
		if err == nil {
			err = os.MkdirAll(filepath.Join(root, filepath.Dir(to)), 0o755)
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(root, to), b, 0o755)
		}
		if err != nil {
			t.Fatalf("copying %s into the root: %v", from, err)
		}
	}
}

// rootSnapshot lists what is in the root (symlinks with their targets),
// but the rpm database.
func rootSnapshot(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		switch {
		case err != nil:
			return err
		case rel == "var/lib/rpm":
			return filepath.SkipDir
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			rel += " -> " + target
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
