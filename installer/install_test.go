package installer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestInstallLinux(t *testing.T) {
	in, run, ctl, _ := testInstaller(t, "linux")
	mustInstall(t, in)
	l := in.Layout
	if got, want := readFile(t, l.UnitPath()), SystemdUnit(l.AgentExe, "x"); got[strings.Index(got, "\n"):] != want[strings.Index(want, "\n"):] {
		t.Errorf("unit file:\n%s\nwant the template's unit for %s", got, l.AgentExe)
	}
	if got := readFile(t, l.ConfigPath); got != string(in.Config) {
		t.Errorf("config %q, want the default %q", got, in.Config)
	}
	for _, c := range []string{"systemctl --user enable eidbridge.service", "systemctl --user daemon-reload"} {
		if run.ran(c) != 1 {
			t.Errorf("ran %q %d times, want once; calls %q", c, run.ran(c), run.calls)
		}
	}
	if ctl.restarts != 1 {
		t.Errorf("agent restarted %d times, want once (so an upgrade runs the new binary)", ctl.restarts)
	}
	m, err := ReadManifest(l.ManifestPath())
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "1.2.3" || m.Exe != l.Exe {
		t.Errorf("manifest version %q exe %q", m.Version, m.Exe)
	}
	var files []string
	for _, it := range m.Items {
		if it.Kind == KindFile {
			files = append(files, it.Path)
		}
	}
	if want := []string{l.ConfigPath, l.UnitPath()}; !reflect.DeepEqual(files, want) {
		t.Errorf("manifest files %q, want %q", files, want)
	}
}

func TestInstallTwiceIsOneInstallation(t *testing.T) {
	in, run, _, _ := testInstaller(t, "linux")
	mustInstall(t, in)
	first := tree(t, in.Layout.Home)
	m1, _ := ReadManifest(in.Layout.ManifestPath())
	mustInstall(t, in)
	second := tree(t, in.Layout.Home)
	if !reflect.DeepEqual(keys(first), keys(second)) {
		t.Errorf("second install changed the files:\n%q\n%q", keys(first), keys(second))
	}
	m2, _ := ReadManifest(in.Layout.ManifestPath())
	if !reflect.DeepEqual(m1.Items, m2.Items) {
		t.Errorf("manifest items changed:\n%+v\n%+v", m1.Items, m2.Items)
	}
	if n := run.ran("enable eidbridge.service"); n != 2 {
		t.Errorf("enable ran %d times, want once per install", n)
	}
}

func TestUninstallLeavesTheHomeAsItWas(t *testing.T) {
	in, run, ctl, _ := testInstaller(t, "linux")
	// Things that were there before and are not the installer's.
	other := filepath.Join(in.Layout.Home, ".config", "other.conf")
	if err := os.MkdirAll(filepath.Dir(other), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := tree(t, in.Layout.Home)
	mustInstall(t, in)
	notes, err := in.Uninstall(context.Background())
	if err != nil {
		t.Fatalf("Uninstall: %v", err)
	}
	if after := tree(t, in.Layout.Home); !reflect.DeepEqual(before, after) {
		t.Errorf("home after uninstall:\n%q\nwant as before:\n%q (notes %q)", keys(after), keys(before), notes)
	}
	if run.ran("systemctl --user disable eidbridge.service") != 1 || ctl.stops != 1 {
		t.Errorf("uninstall did not disable and stop the agent: calls %q, stops %d", run.calls, ctl.stops)
	}
	if _, err := in.Uninstall(context.Background()); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("second uninstall: %v, want ErrNotInstalled", err)
	}
}

func TestExistingConfigIsTheCitizens(t *testing.T) {
	in, _, _, _ := testInstaller(t, "linux")
	mine := "{\"port\": 4000}\n"
	if err := os.MkdirAll(filepath.Dir(in.Layout.ConfigPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in.Layout.ConfigPath, []byte(mine), 0o600); err != nil {
		t.Fatal(err)
	}
	mustInstall(t, in)
	if got := readFile(t, in.Layout.ConfigPath); got != mine {
		t.Errorf("install overwrote the citizen's config: %q", got)
	}
	if _, err := in.Uninstall(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, in.Layout.ConfigPath); got != mine {
		t.Errorf("uninstall touched the citizen's config: %q", got)
	}
}

func TestUninstallKeepsAnEditedConfig(t *testing.T) {
	in, _, _, _ := testInstaller(t, "linux")
	mustInstall(t, in)
	mustInstall(t, in) // the config stays listed as the installer's
	edited := "{\"port\": 4001}\n"
	if err := os.WriteFile(in.Layout.ConfigPath, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	notes, err := in.Uninstall(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, in.Layout.ConfigPath); got != edited {
		t.Errorf("config after uninstall %q, want the edited one kept", got)
	}
	if !strings.Contains(strings.Join(notes, "\n"), "kept "+in.Layout.ConfigPath) {
		t.Errorf("notes %q do not say the config was kept", notes)
	}
	if _, err := os.Stat(in.Layout.UnitPath()); !os.IsNotExist(err) {
		t.Errorf("unit still there: %v", err)
	}
}

func TestFailedStepIsRolledBack(t *testing.T) {
	in, run, ctl, _ := testInstaller(t, "linux")
	before := tree(t, in.Layout.Home)
	run.fail = map[string]error{"enable": errBoom}
	_, err := in.Install(context.Background())
	if err == nil || !strings.Contains(err.Error(), "enabling eidbridge.service") || !strings.Contains(err.Error(), "undone") {
		t.Fatalf("Install error %v, want the failed step and that the rest was undone", err)
	}
	if after := tree(t, in.Layout.Home); !reflect.DeepEqual(before, after) {
		t.Errorf("after the failed install the home holds %q, want %q", keys(after), keys(before))
	}
	if ctl.restarts+ctl.starts != 0 {
		t.Error("a failed install started the agent")
	}
}

func TestFailedReinstallRestoresTheOldOne(t *testing.T) {
	in, _, _, _ := testInstaller(t, "linux")
	mustInstall(t, in)
	before := tree(t, in.Layout.Home)
	in.Layout.AgentExe = "/opt/eidbridge-2/bin/eidbridge" // an upgrade to another place
	in.Version = "2.0.0"
	in.Hooks = []Hook{{Name: "nm", Do: func(context.Context) error { return errBoom },
		Undo: func(context.Context) error { return nil }}}
	if _, err := in.Install(context.Background()); !errors.Is(err, errBoom) {
		t.Fatalf("Install: %v, want the hook's error", err)
	}
	if after := tree(t, in.Layout.Home); !reflect.DeepEqual(before, after) {
		t.Errorf("the failed upgrade left changes:\nbefore %v\nafter  %v", before, after)
	}
}

func TestInstallOverOlderVersionRemovesItsLeftovers(t *testing.T) {
	in, _, _, _ := testInstaller(t, "linux")
	mustInstall(t, in)
	// An older version also wrote an autostart entry; pretend it did.
	stale := filepath.Join(in.Layout.Home, ".config", "autostart", "eidbridge.desktop")
	if err := os.MkdirAll(filepath.Dir(stale), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("[Desktop Entry]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _ := ReadManifest(in.Layout.ManifestPath())
	m.Version = "0.9"
	m.Items = append(m.Items, Item{Kind: KindDir, Path: filepath.Dir(stale)},
		Item{Kind: KindFile, Path: stale, SHA256: digest([]byte("[Desktop Entry]\n"))})
	if err := writeManifest(in.Layout.ManifestPath(), m); err != nil {
		t.Fatal(err)
	}
	mustInstall(t, in)
	if _, err := os.Stat(filepath.Dir(stale)); !os.IsNotExist(err) {
		t.Errorf("the older version's autostart entry is still there: %v", err)
	}
	m, _ = ReadManifest(in.Layout.ManifestPath())
	if m.Version != "1.2.3" || strings.Contains(readFile(t, in.Layout.ManifestPath()), "autostart") {
		t.Errorf("manifest still lists the old version's items: %+v", m)
	}
}

func TestNoUserManagerIsANoteNotAFailure(t *testing.T) {
	in, run, ctl, _ := testInstaller(t, "linux")
	run.fail = map[string]error{"daemon-reload": errors.New("Failed to connect to bus: No medium found")}
	notes := mustInstall(t, in)
	if len(notes) != 1 || !strings.Contains(notes[0], "next login") || !strings.Contains(notes[0], "No medium") {
		t.Errorf("notes %q, want one saying the agent starts at the next login, with the cause", notes)
	}
	if ctl.restarts != 0 {
		t.Error("tried to start the agent without a user manager")
	}
}

func TestDamagedManifest(t *testing.T) {
	in, _, _, _ := testInstaller(t, "linux")
	if err := os.MkdirAll(in.Layout.StateDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in.Layout.ManifestPath(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, op := range map[string]func(context.Context) ([]string, error){"install": in.Install, "uninstall": in.Uninstall} {
		if _, err := op(context.Background()); err == nil || !strings.Contains(err.Error(), "damaged") {
			t.Errorf("%s with a damaged record: %v, want it named", name, err)
		}
	}
}

func TestCheckExe(t *testing.T) {
	for _, bad := range []string{"eidbridge", "/tmp/go-build123/b001/exe/eidbridge", "/x/eid\nbridge"} {
		if err := checkExe("linux", bad); err == nil {
			t.Errorf("checkExe(%q) accepted it", bad)
		}
	}
	for goos, good := range map[string]string{"linux": "/usr/bin/eidbridge", "windows": `C:\Program Files\eidbridge\eidbridge.exe`} {
		if err := checkExe(goos, good); err != nil {
			t.Errorf("checkExe(%s, %s): %v", goos, good, err)
		}
	}
	if err := checkExe("windows", `Programs\eidbridge.exe`); err == nil {
		t.Error("checkExe accepted a relative Windows path")
	}
}
