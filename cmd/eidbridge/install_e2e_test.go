package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// userHome is a throwaway user: HOME and the XDG directories in a
// temporary directory, and a systemctl that never reaches a user
// manager. Enabling and disabling go to the real systemctl, which then
// only edits files under XDG_CONFIG_HOME; the manager commands (reload,
// start, stop, status) are recorded instead.
type userHome struct {
	root, home, config, state, log string
}

func newUserHome(t *testing.T) userHome {
	t.Helper()
	root := t.TempDir()
	u := userHome{root: root, home: filepath.Join(root, "home"), config: filepath.Join(root, "home", "xdg-config"),
		state: filepath.Join(root, "home", "xdg-state"), log: filepath.Join(root, "systemctl.log")}
	bin := filepath.Join(root, "bin")
	for _, d := range []string{u.home, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	real, err := findSystemctl()
	if err != nil {
		t.Skipf("no systemctl on this machine: %v", err)
	}
	stub := "#!/bin/sh\ncase \" $* \" in\n*\" enable \"*|*\" disable \"*|*\" is-enabled \"*) exec " + real + " \"$@\";;\nesac\n" +
		"echo \"$*\" >> " + u.log + "\ncase \" $* \" in *\" is-active \"*) echo active;; esac\nexit 0\n"
	if err := os.WriteFile(filepath.Join(bin, "systemctl"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", u.home)
	t.Setenv("XDG_CONFIG_HOME", u.config)
	t.Setenv("XDG_STATE_HOME", u.state)
	t.Setenv("XDG_RUNTIME_DIR", "") // no way to any real user manager
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return u
}

func findSystemctl() (string, error) {
	for _, p := range []string{"/usr/bin/systemctl", "/bin/systemctl"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", os.ErrNotExist
}

// files lists what is under dir, sorted, symlinks with their target.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			rel += " -> " + target
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestInstallUninstallEndToEnd(t *testing.T) {
	needPCSC(t)
	u := newUserHome(t)
	mustRun(t, "install")
	first := files(t, u.home)
	out := mustRun(t, "install") // again: repairs, changes nothing
	if again := files(t, u.home); strings.Join(again, "\n") != strings.Join(first, "\n") {
		t.Errorf("second install changed the files:\n%s\nthen:\n%s", strings.Join(first, "\n"), strings.Join(again, "\n"))
	}
	unit := filepath.Join(u.config, "systemd", "user", "eidbridge.service")
	want := []string{
		"xdg-config/eidbridge/config.json",
		"xdg-config/systemd/user/default.target.wants/eidbridge.service -> " + unit,
		"xdg-config/systemd/user/eidbridge.service",
		"xdg-state/eidbridge/install.json",
	}
	for _, w := range want {
		if !strings.Contains(strings.Join(first, "\n"), w) {
			t.Errorf("after install, missing %s in:\n%s", w, strings.Join(first, "\n"))
		}
	}
	b, err := os.ReadFile(unit)
	if err != nil || !strings.Contains(string(b), "ExecStart="+e2eBin+" run") || !strings.Contains(string(b), "WantedBy=default.target") {
		t.Errorf("unit file (%v):\n%s", err, b)
	}
	if !strings.Contains(out, "started the agent") {
		t.Errorf("install output does not say the agent was started:\n%s", out)
	}
	if st := mustRun(t, "status"); !strings.Contains(st, "installed:  yes") || !strings.Contains(st, "running") {
		t.Errorf("status:\n%s", st)
	}
	mustRun(t, "uninstall")
	if left := files(t, u.home); len(left) != 0 {
		t.Errorf("uninstall left:\n%s", strings.Join(left, "\n"))
	}
	log, _ := os.ReadFile(u.log)
	for _, c := range []string{"--user daemon-reload", "restart --user eidbridge.service", "stop --user eidbridge.service"} {
		if !strings.Contains(string(log), c) {
			t.Errorf("systemctl never ran %q; it ran:\n%s", c, log)
		}
	}
}
