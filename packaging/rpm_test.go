package packaging

import (
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// rpmFiles is every path the .rpm holds, with its mode: the files, and
// the directories it owns so that `rpm -e` removes them (nfpm.yaml). The
// browsers' directories are not among them: the scriptlets put the
// manifests there (linux/browser-hosts.sh).
var rpmFiles = map[string]string{
	"/usr/bin/eidbridge":                                "0100755",
	"/usr/lib/systemd/user/eidbridge.service":           "0100644",
	"/usr/lib/eidbridge":                                "040755",
	"/usr/lib/eidbridge/nm-host":                        "0100755",
	"/usr/lib/eidbridge/native-messaging":               "040755",
	"/usr/lib/eidbridge/native-messaging/chromium.json": "0100644",
	"/usr/lib/eidbridge/native-messaging/firefox.json":  "0100644",
	"/usr/lib/eidbridge/user-managers.sh":               "0100644",
	"/usr/lib/eidbridge/browser-hosts.sh":               "0100644",
	"/usr/share/doc/eidbridge":                          "040755",
	"/usr/share/doc/eidbridge/install.md":               "0100644",
}

// needRPM fails, not skips, without rpm: needSystemTest has let the
// system tests run, and make test installs rpm (scripts/testenv.sh).
func needRPM(t *testing.T) string {
	t.Helper()
	needSystemTest(t)
	if _, err := exec.LookPath("rpm"); err != nil {
		t.Fatal("the RPM tests need rpm (Debian: apt install rpm; make test installs it)")
	}
	_, rpm := buildPackages(t)
	return rpm
}

// The .rpm declares what Fedora-like systems need (pcsc-lite and its
// library), holds exactly the expected files with their modes, and its
// scriptlets are the shared maintainer scripts.
func TestRPMContents(t *testing.T) {
	rpm := needRPM(t)
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if got, want := run(t, nil, "rpm", "-qp", "--qf", "%{NAME} %{VERSION} %{ARCH}", rpm),
		"eidbridge 9.9.9+pkgtest "+arch; got != want {
		t.Errorf("name, version, arch: %q, want %q", got, want)
	}
	var requires []string
	for _, r := range strings.Fields(run(t, nil, "rpm", "-qp", "--requires", rpm)) {
		if !strings.HasPrefix(r, "rpmlib(") { // rpm's own format features
			requires = append(requires, r)
		}
	}
	if want := []string{"pcsc-lite", "pcsc-lite-libs"}; !slices.Equal(requires, want) {
		t.Errorf("requires %q, want %q", requires, want)
	}
	if got := strings.Fields(run(t, nil, "rpm", "-qp", "--recommends", rpm)); !slices.Equal(got, []string{"zenity"}) {
		t.Errorf("recommends %q, want zenity", got)
	}

	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(run(t, nil, "rpm", "-qp", "--dump", rpm)), "\n") {
		f := strings.Fields(l) // path size mtime digest mode owner group ...
		if len(f) < 7 || f[5] != "root" || f[6] != "root" {
			t.Errorf("dump line %q: want a file owned by root:root", l)
			continue
		}
		got[f[0]] = f[4]
	}
	for p, mode := range rpmFiles {
		if got[p] != mode {
			t.Errorf("%s: mode %q, want %q", p, got[p], mode)
		}
	}
	for p := range got {
		if _, ok := rpmFiles[p]; !ok {
			t.Errorf("unexpected %s in the package", p)
		}
	}

	scripts := []struct{ tag, file string }{
		{"PREIN", ""}, {"POSTIN", "linux/postinst.sh"}, {"PREUN", "linux/prerm.sh"}, {"POSTUN", ""},
		{"POSTTRANS", "linux/posttrans.sh"},
	}
	for _, s := range scripts {
		want := "(none)"
		if s.file != "" {
			b, err := os.ReadFile(s.file)
			if err != nil {
				t.Fatal(err)
			}
			want = strings.TrimRight(string(b), "\n")
			if prog := run(t, nil, "rpm", "-qp", "--qf", "%{"+s.tag+"PROG}", rpm); prog != "/bin/sh" {
				t.Errorf("%s runs with %q, want /bin/sh", s.tag, prog)
			}
		}
		if got := strings.TrimRight(run(t, nil, "rpm", "-qp", "--qf", "%{"+s.tag+"}", rpm), "\n"); got != want {
			t.Errorf("%s scriptlet:\n%s\nwant:\n%s", s.tag, got, want)
		}
	}
}
