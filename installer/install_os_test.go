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

func TestInstallWindowsRunValue(t *testing.T) {
	in, _, ctl, reg := testInstaller(t, "windows")
	in.Layout.Exe = `C:\Users\Ann\AppData\Local\Programs\eidbridge\eidbridge.exe`
	in.Layout.AgentExe = `C:\Users\Ann\AppData\Local\Programs\eidbridge\eidbridgew.exe`
	mustInstall(t, in)
	want := map[string]string{RunKey + `\eidbridge`: `"C:\Users\Ann\AppData\Local\Programs\eidbridge\eidbridgew.exe" run`}
	if !reflect.DeepEqual(reg.values, want) {
		t.Errorf("registry %q, want %q", reg.values, want)
	}
	if ctl.restarts != 1 {
		t.Errorf("agent restarted %d times, want once", ctl.restarts)
	}
	if _, err := in.Uninstall(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(reg.values) != 0 {
		t.Errorf("registry after uninstall %q, want empty", reg.values)
	}
}

func TestWindowsKeepsAChangedRunValue(t *testing.T) {
	in, _, _, reg := testInstaller(t, "windows")
	mustInstall(t, in)
	reg.values[RunKey+`\eidbridge`] = `"D:\portable\eidbridge.exe" run`
	notes, err := in.Uninstall(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.values) != 1 || !strings.Contains(strings.Join(notes, " "), "kept") {
		t.Errorf("a Run value changed by someone else was removed (registry %q, notes %q)", reg.values, notes)
	}
}

func TestWindowsRollbackRestoresTheRunValue(t *testing.T) {
	in, _, _, reg := testInstaller(t, "windows")
	old := `"C:\old\eidbridge.exe" run`
	reg.values[RunKey+`\eidbridge`] = old
	in.Hooks = []Hook{{Name: "nm", Do: func(context.Context) error { return errBoom }, Undo: func(context.Context) error { return nil }}}
	if _, err := in.Install(context.Background()); !errors.Is(err, errBoom) {
		t.Fatalf("Install: %v", err)
	}
	if got := reg.values[RunKey+`\eidbridge`]; got != old {
		t.Errorf("Run value after rollback %q, want the earlier %q", got, old)
	}
}

func TestInstallDarwinLaunchAgent(t *testing.T) {
	in, run, ctl, _ := testInstaller(t, "darwin")
	mustInstall(t, in)
	if got := readFile(t, in.Layout.PlistPath()); got != LaunchAgentPlist(in.Layout.AgentExe, in.Layout.LogPath()) {
		t.Errorf("plist:\n%s", got)
	}
	if ctl.stops != 1 || ctl.starts != 1 {
		t.Errorf("stops %d starts %d, want the old job unloaded and the new one loaded once", ctl.stops, ctl.starts)
	}
	if len(run.calls) != 0 {
		t.Errorf("ran %q on macOS, want nothing but launchctl through the control", run.calls)
	}
	if _, err := in.Uninstall(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(in.Layout.PlistPath()); !os.IsNotExist(err) {
		t.Errorf("plist still there: %v", err)
	}
}

func TestHooksRunAndUndo(t *testing.T) {
	in, _, _, _ := testInstaller(t, "linux")
	var did, undid int
	in.Hooks = []Hook{{Name: "native-messaging hosts",
		Do:   func(context.Context) error { did++; return nil },
		Undo: func(context.Context) error { undid++; return nil }}}
	mustInstall(t, in)
	if did != 1 || undid != 0 {
		t.Fatalf("install: did %d undid %d", did, undid)
	}
	if _, err := in.Uninstall(context.Background()); err != nil {
		t.Fatal(err)
	}
	if undid != 1 {
		t.Errorf("uninstall undid the hook %d times, want once", undid)
	}
}

func TestFailedUninstallCanBeFinished(t *testing.T) {
	in, run, _, _ := testInstaller(t, "linux")
	mustInstall(t, in)
	run.fail = map[string]error{"disable": errBoom}
	if _, err := in.Uninstall(context.Background()); !errors.Is(err, errBoom) {
		t.Fatalf("Uninstall: %v, want the disable error", err)
	}
	m, err := ReadManifest(in.Layout.ManifestPath())
	if err != nil {
		t.Fatalf("the record of what is left is gone: %v", err)
	}
	var kinds []string
	for _, it := range m.Items {
		if it.Kind != KindDir {
			kinds = append(kinds, it.Kind)
		}
	}
	if !reflect.DeepEqual(kinds, []string{KindEnable}) {
		t.Errorf("left in the record %q, want only the enable", kinds)
	}
	run.fail = nil
	if _, err := in.Uninstall(context.Background()); err != nil {
		t.Fatalf("second uninstall: %v", err)
	}
	if _, err := os.Stat(in.Layout.Home + "/.config"); !os.IsNotExist(err) {
		t.Errorf("directories left after the finished uninstall: %v", err)
	}
}

// fileHook writes files like `nm-host install` does, creating their
// directories, and its Undo removes the files only.
func fileHook(paths []string, fail error) Hook {
	return Hook{Name: "files", Paths: paths,
		Do: func(context.Context) error {
			for _, p := range paths {
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
					return err
				}
			}
			return fail
		},
		Undo: func(context.Context) error {
			for _, p := range paths {
				os.Remove(p)
			}
			return nil
		}}
}

func TestHookDirectoriesGoWithIt(t *testing.T) {
	for _, fail := range []error{nil, errBoom} {
		in, _, _, _ := testInstaller(t, "linux")
		h := in.Layout.Home
		if err := os.MkdirAll(filepath.Join(h, ".mozilla"), 0o700); err != nil { // the citizen's
			t.Fatal(err)
		}
		before := tree(t, h)
		in.Hooks = []Hook{fileHook([]string{filepath.Join(h, ".config", "chromium", "NativeMessagingHosts", "x.json"),
			filepath.Join(h, ".mozilla", "native-messaging-hosts", "x.json")}, fail)}
		if _, err := in.Install(context.Background()); !errors.Is(err, fail) {
			t.Fatalf("Install: %v, want %v", err, fail)
		}
		if fail == nil {
			mustInstall(t, in) // a reinstall keeps the directories recorded
			if _, err := in.Uninstall(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if after := tree(t, h); !reflect.DeepEqual(before, after) {
			t.Errorf("fail=%v: left %q, want %q", fail, keys(after), keys(before))
		}
	}
}

// An agent that cannot be stopped does not block the uninstall, and the
// citizen is told it may still run.
func TestUninstallSaysWhenTheAgentCouldNotBeStopped(t *testing.T) {
	in, _, ctl, reg := testInstaller(t, "windows")
	mustInstall(t, in)
	ctl.stopErr = errors.New("port 51950 is taken by a program, not by the eidbridge agent")
	notes, err := in.Uninstall(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(notes, "\n")
	if !strings.Contains(joined, "could not be stopped") || !strings.Contains(joined, "Task Manager") ||
		!strings.Contains(joined, "port 51950") {
		t.Errorf("notes %q do not say the agent may still run and how to end it", notes)
	}
	if len(reg.values) != 0 {
		t.Errorf("registry after uninstall %q, want empty", reg.values)
	}
}
