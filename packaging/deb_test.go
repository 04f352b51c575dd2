package packaging

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hostDirs are the native-messaging directories for all users.
var hostDirs = []string{"/etc/opt/chrome/native-messaging-hosts", "/etc/chromium/native-messaging-hosts",
	"/etc/opt/edge/native-messaging-hosts", "/usr/lib/mozilla/native-messaging-hosts"}

// The .deb installs on this machine with dpkg, puts every file where it
// belongs with the agent enabled for every user, and `dpkg -r` leaves
// the machine as it was (pcscd, a dependency, stays installed): as the
// machine is, and with every browser directory and its parents there
// beforehand (shared with other software: /etc/opt on a fresh Debian),
// which removal must not take away.
func TestDebInstallAndRemove(t *testing.T) {
	needSystemTest(t)
	if installed("eidbridge") {
		t.Fatal("an eidbridge package is already installed here; this test replaces and removes it: " +
			"remove it first (dpkg -r eidbridge)")
	}
	deb, _ := buildPackages(t)
	t.Run("as the machine is", func(t *testing.T) { debInstallAndRemove(t, deb) })
	t.Run("browser directories there before", func(t *testing.T) {
		for _, dir := range hostDirs {
			makeDirs(t, dir)
		}
		debInstallAndRemove(t, deb)
	})
}

// makeDirs creates dir and its missing parents for the test only.
func makeDirs(t *testing.T, dir string) {
	if _, err := os.Stat(dir); err == nil {
		return
	}
	makeDirs(t, filepath.Dir(dir))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(dir) })
}

func debInstallAndRemove(t *testing.T, deb string) {
	before := snapshot(t)
	run(t, nil, "dpkg", "-i", deb)
	t.Cleanup(func() {
		if installed("eidbridge") {
			exec.Command("dpkg", "-r", "eidbridge").Run()
		}
	})

	if out := run(t, nil, "/usr/bin/eidbridge", "version"); strings.TrimSpace(out) != "eidbridge "+testVersion {
		t.Errorf("/usr/bin/eidbridge version: %q", out)
	}
	checkUnit(t, "/")
	if out := run(t, nil, "systemctl", "--global", "is-enabled", "eidbridge.service"); strings.TrimSpace(out) != "enabled" {
		t.Errorf("systemctl --global is-enabled: %q, want enabled", out)
	}
	// What any user's manager sees (a new user, no manager reachable).
	if out := run(t, userEnv(t), "systemctl", "--user", "is-enabled", "eidbridge.service"); strings.TrimSpace(out) != "enabled" {
		t.Errorf("a user's systemctl --user is-enabled: %q, want enabled", out)
	}
	checkHostManifests(t, "/")
	checkDoctorSeesThePackage(t)

	run(t, nil, "dpkg", "-r", "eidbridge")
	if installed("eidbridge") {
		t.Fatal("dpkg -r left eidbridge installed")
	}
	if after := snapshot(t); !slices.Equal(before, after) {
		t.Errorf("after dpkg -r the machine differs:\nbefore %q\nafter  %q", before, after)
	}
	if !installed("pcscd") || !installed("libpcsclite1") {
		t.Error("removing eidbridge removed pcscd or libpcsclite1")
	}
}

// userEnv is a throwaway user for systemctl --user and eidbridge doctor:
// its own HOME, and no way to reach a real user manager.
func userEnv(t *testing.T) []string {
	home := t.TempDir()
	return []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"), "XDG_RUNTIME_DIR=", "DBUS_SESSION_BUS_ADDRESS="}
}

// checkUnit checks the agent's user unit installed in root ("/" for
// this machine) against the packaged one.
func checkUnit(t *testing.T, root string) {
	t.Helper()
	unit, err := os.ReadFile(filepath.Join(root, "/usr/lib/systemd/user/eidbridge.service"))
	want, _ := os.ReadFile("linux/eidbridge.service")
	if err != nil || string(unit) != string(want) {
		t.Errorf("installed unit (%v) differs from linux/eidbridge.service:\n%s", err, unit)
	}
}

// checkHostManifests checks the native-messaging files installed in root
// ("/" for this machine).
func checkHostManifests(t *testing.T, root string) {
	t.Helper()
	for _, dir := range hostDirs {
		b, err := os.ReadFile(filepath.Join(root, dir, "be.eidbridge.nm.json"))
		var m struct{ Name, Path, Type string }
		if err == nil {
			err = json.Unmarshal(b, &m)
		}
		if err != nil || m.Name != "be.eidbridge.nm" || m.Path != "/usr/lib/eidbridge/nm-host" || m.Type != "stdio" {
			t.Errorf("%s: %+v (%v)", dir, m, err)
		}
	}
	launcherPath := filepath.Join(root, "/usr/lib/eidbridge/nm-host")
	fi, err := os.Stat(launcherPath)
	launcher, _ := os.ReadFile(launcherPath)
	if err != nil || fi.Mode()&0o111 == 0 || !strings.Contains(string(launcher), "/usr/bin/eidbridge") {
		t.Errorf("launcher %s (%v) is not an executable running /usr/bin/eidbridge:\n%s", launcherPath, err, launcher)
	}
}

// The installed doctor of a user who never ran `eidbridge install` finds
// the agent set up by the package and the browsers' registrations.
func checkDoctorSeesThePackage(t *testing.T) {
	t.Helper()
	cmd := exec.Command("/usr/bin/eidbridge", "doctor", "--json")
	cmd.Env = append(os.Environ(), userEnv(t)...)
	out, _ := cmd.Output() // exit 1: no agent runs for this user
	var rep struct {
		Results []struct{ ID, Status, Detail string }
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, out)
	}
	registered := 0
	for _, r := range rep.Results {
		switch {
		case r.ID == "service" && (r.Status != "ok" || !strings.Contains(r.Detail, "the package")):
			t.Errorf("doctor service check: %s %q, want ok, set up by the package", r.Status, r.Detail)
		case strings.HasPrefix(r.ID, "native-messaging/") && r.Status == "ok":
			registered++
		}
	}
	if registered != 4 {
		t.Errorf("doctor found %d browser registrations, want 4 (Chrome, Chromium, Edge, Firefox): %+v", registered, rep.Results)
	}
}
