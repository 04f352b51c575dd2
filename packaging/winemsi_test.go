package packaging

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The Windows installations, run under Wine: the MSI (msiexec) and
// `eidbridge install` (the installer's Windows code: the registry through
// golang.org/x/sys/windows/registry, the agent started detached, then
// stopped and started again). What Wine cannot show: the card (Wine 8's
// winscard is a stub). Wine's netstat names no port owner, so stopping
// goes through the pid the agent publishes (confirmed by the system, as
// Wine's tasklist is a stub): the real path when the agent runs but
// netstat does not say so, not the usual one on Windows.
func TestWindowsUnderWine(t *testing.T) {
	w := newWine(t)
	dir, msi := buildWindows(t)
	t.Run("msi", func(t *testing.T) { testMSIUnderWine(w.in(t), dir, msi) })
	t.Run("eidbridge install", func(t *testing.T) { testInstallUnderWine(w.in(t), dir) })
}

// msiexec installs for the user: the files in the per-user program
// directory, the registry values the MSI declares, the agent started;
// msiexec /x stops the agent (its StopAgent action) and removes them.
func testMSIUnderWine(w *wine, dir, msi string) {
	t := w.t
	installDir := w.profile + `\AppData\Local\Programs\eidbridge\`
	msiPath := `Z:` + strings.ReplaceAll(msi, "/", `\`)
	msiexec(w, "/i", msiPath)

	entries, err := os.ReadDir(w.unix(installDir))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"be.eidbridge.nm.chromium.json", "be.eidbridge.nm.firefox.json", "eidbridge.exe", "eidbridgew.exe", "nm-host.bat"}
	if !slices.Equal(names, want) {
		t.Fatalf("%s holds %q (%v), want %q", installDir, names, err, want)
	}
	for _, exe := range []string{"eidbridge.exe", "eidbridgew.exe"} {
		got, _ := os.ReadFile(w.unix(installDir + exe))
		built, _ := os.ReadFile(filepath.Join(dir, exe))
		if !bytes.Equal(got, built) {
			t.Errorf("the installed %s differs from the one built", exe)
		}
	}
	for k, v := range msiRegistry {
		key, name := splitRegistry(k)
		if got, _ := w.regValue(key, name); got != strings.ReplaceAll(v, "[INSTALLDIR]", installDir) {
			t.Errorf(`HKCU\%s = %q, want %q`, k, got, v)
		}
	}
	if out := w.must(installDir+"eidbridge.exe", "version"); strings.TrimSpace(out) != "eidbridge "+testVersion {
		t.Errorf("the installed eidbridge.exe version: %q", out)
	}
	w.waitAgent(true) // started by the MSI's StartAgent action
	checkWindowsDoctor(w, installDir+"eidbridge.exe")

	msiexec(w, "/x", msiPath)
	w.waitAgent(false)
	if _, err := os.Stat(w.unix(installDir)); !os.IsNotExist(err) {
		t.Errorf("msiexec /x left %s (%v)", installDir, err)
	}
	for k := range msiRegistry {
		if v, ok := w.regValue(splitRegistry(k)); ok {
			t.Errorf(`msiexec /x left HKCU\%s = %q`, k, v)
		}
	}
}

// msiexec runs an installation or a removal without UI, and shows the
// actions that failed when it fails.
func msiexec(w *wine, op, msi string) {
	w.t.Helper()
	log := filepath.Join(w.tmp, "msiexec.log")
	out, err := w.run("msiexec", op, msi, "/qn", "/l*v", `Z:`+strings.ReplaceAll(log, "/", `\`))
	if err != nil {
		b, _ := os.ReadFile(log)
		w.t.Fatalf("msiexec %s: %v\n%s\n%s", op, err, out, b)
	}
}

// The Windows doctor finds what the MSI registered.
func checkWindowsDoctor(w *wine, exe string) {
	t := w.t
	// Exit 1: no smart-card service under Wine; its message follows the JSON.
	out, _ := w.run(exe, "doctor", "--json")
	var rep struct {
		Results []struct{ ID, Status, Detail string }
	}
	if err := json.NewDecoder(strings.NewReader(out)).Decode(&rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, out)
	}
	registered := 0
	for _, r := range rep.Results {
		switch {
		case r.ID == "service" && r.Status != "ok":
			t.Errorf("doctor: start at login %s %q, want ok", r.Status, r.Detail)
		case strings.HasPrefix(r.ID, "native-messaging/") && r.Status == "ok":
			registered++
		}
	}
	if registered != 5 {
		t.Errorf("doctor found %d browser registrations, want 5: %+v", registered, rep.Results)
	}
}

// `eidbridge install` sets up the Run value and the browsers' keys, with
// manifests naming a launcher that runs this eidbridge.exe, and starts
// the agent; status sees the installation; uninstall removes it all.
func testInstallUnderWine(w *wine, dir string) {
	t := w.t
	const exeDir = `C:\eidbridge-test\`
	for _, exe := range []string{"eidbridge.exe", "eidbridgew.exe"} {
		b, err := os.ReadFile(filepath.Join(dir, exe))
		if err != nil {
			t.Fatal(err)
		}
		write(t, w.unix(exeDir+exe), string(b))
	}
	w.must(exeDir+"eidbridge.exe", "install")
	w.waitAgent(true)
	if got, _ := w.regValue(`Software\Microsoft\Windows\CurrentVersion\Run`, "eidbridge"); got != `"`+exeDir+`eidbridgew.exe" run` {
		t.Errorf("Run value %q, want eidbridgew.exe run", got)
	}
	var manifests []string
	for _, key := range browserKeys() {
		m, _ := w.regValue(key, "")
		manifests = append(manifests, m)
		checkWindowsManifest(w, key, m, exeDir+"eidbridge.exe")
	}
	checkWindowsControl(w, exeDir+"eidbridge.exe")

	if out := w.must(exeDir+"eidbridge.exe", "uninstall"); !strings.Contains(out, "stopped the agent") {
		t.Errorf("uninstall did not stop the agent:\n%s", out)
	}
	w.waitAgent(false)
	if v, ok := w.regValue(`Software\Microsoft\Windows\CurrentVersion\Run`, "eidbridge"); ok {
		t.Errorf("uninstall left the Run value %q", v)
	}
	for i, key := range browserKeys() {
		if v, ok := w.regValue(key, ""); ok {
			t.Errorf(`uninstall left HKCU\%s = %q`, key, v)
		}
		if _, err := os.Stat(w.unix(manifests[i])); manifests[i] != "" && !os.IsNotExist(err) {
			t.Errorf("uninstall left %s (%v)", manifests[i], err)
		}
	}
}

// status sees the installation and the agent running; stop ends the
// agent (its port closes) and start starts it again.
func checkWindowsControl(w *wine, exe string) {
	t := w.t
	if out, _ := w.run(exe, "status"); !strings.Contains(out, "installed:  yes, version "+testVersion) {
		t.Errorf("status:\n%s", out)
	}
	if s, ok := w.agentStatus(exe); s != "running" || !ok {
		t.Errorf("status says the agent is %q (exit 0: %v), want running", s, ok)
	}
	w.must(exe, "stop")
	w.waitAgent(false)
	if s, ok := w.agentStatus(exe); s != "stopped" || ok {
		t.Errorf("status after stop says %q (exit 0: %v), want stopped and exit 1", s, ok)
	}
	w.must(exe, "start")
	w.waitAgent(true)
	if s, ok := w.agentStatus(exe); s != "running" || !ok {
		t.Errorf("status after start says %q (exit 0: %v), want running", s, ok)
	}
}

func checkWindowsManifest(w *wine, key, manifest, exe string) {
	t := w.t
	var m struct{ Name, Path, Type string }
	b, err := os.ReadFile(w.unix(manifest))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil || m.Name != "be.eidbridge.nm" || m.Type != "stdio" {
		t.Errorf(`HKCU\%s -> %q: %+v (%v)`, key, manifest, m, err)
		return
	}
	launcher, err := os.ReadFile(w.unix(m.Path))
	if err != nil || !strings.Contains(string(launcher), exe+`" nm-host`) {
		t.Errorf("%s: the launcher %s (%v) does not run %s nm-host:\n%s", manifest, m.Path, err, exe, launcher)
	}
}

// browserKeys are the native-messaging keys, as the MSI declares them.
func browserKeys() []string {
	var keys []string
	for k := range msiRegistry {
		if key, _ := splitRegistry(k); strings.Contains(key, `\NativeMessagingHosts\`) {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	return keys
}

// splitRegistry splits msiRegistry's key\name.
func splitRegistry(k string) (key, name string) {
	i := strings.LastIndex(k, `\`)
	return k[:i], k[i+1:]
}
