package installer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kardianos/service"
)

// windowsAgent fakes netstat and tasklist for an agent (image name
// image) holding a real loopback port; taskkill closes the port.
func windowsAgent(t *testing.T, image string) (*processControl, *fakeRunner, *[]string) {
	t.Helper()
	ln, port := listenHere(t)
	run := &fakeRunner{out: map[string]string{
		"netstat":  fmt.Sprintf("  TCP    127.0.0.1:%d   0.0.0.0:0   LISTENING   4242\n", port),
		"tasklist": fmt.Sprintf(`"%s","4242","Console","1","1 K"`, image)}}
	run.after = func(line string) {
		if strings.HasPrefix(line, "taskkill") {
			ln.Close()
		}
	}
	var spawned []string
	p := &processControl{l: Layout{GOOS: "windows", AgentExe: `C:\e\eidbridgew.exe`, Port: port}, run: run,
		reg: &fakeRegistry{values: map[string]string{}},
		spawn: func(exe string, args ...string) error {
			spawned = append(spawned, exe+" "+strings.Join(args, " "))
			return nil
		}}
	return p, run, &spawned
}

func TestProcessControlRestart(t *testing.T) {
	p, run, spawned := windowsAgent(t, "eidbridgew.exe")
	if s, err := p.Status(); s != service.StatusRunning || err != nil {
		t.Fatalf("Status %v %v, want running", s, err)
	}
	if err := p.Restart(); err != nil {
		t.Fatal(err)
	}
	if run.ran("taskkill /PID 4242 /F") != 1 {
		t.Errorf("calls %q, want one taskkill of pid 4242", run.calls)
	}
	if len(*spawned) != 1 || (*spawned)[0] != `C:\e\eidbridgew.exe run` {
		t.Errorf("spawned %q, want the agent once", *spawned)
	}
}

func TestProcessControlLeavesOtherProgramsAlone(t *testing.T) {
	p, run, spawned := windowsAgent(t, "node.exe")
	for name, op := range map[string]func() error{"Stop": p.Stop, "Start": p.Start} {
		if err := op(); err == nil || !strings.Contains(err.Error(), "node.exe") {
			t.Errorf("%s with node.exe on the port: %v, want the port conflict named", name, err)
		}
	}
	if run.ran("taskkill") != 0 || len(*spawned) != 0 {
		t.Errorf("touched another program or started a doomed agent: %q %q", run.calls, *spawned)
	}
}

func TestProcessControlStatusNotInstalled(t *testing.T) {
	p, _, _ := windowsAgent(t, "eidbridgew.exe")
	p.l.Port = closedPort(t)
	if _, err := p.Status(); !errors.Is(err, service.ErrNotInstalled) {
		t.Errorf("Status without agent or Run value: %v, want ErrNotInstalled", err)
	}
	p.reg.SetValue(RunKey, RunValue, "x")
	if s, err := p.Status(); s != service.StatusStopped || err != nil {
		t.Errorf("Status with the Run value only: %v %v, want stopped", s, err)
	}
}

func closedPort(t *testing.T) int {
	ln, port := listenHere(t)
	ln.Close()
	return port
}

// The real kardianos systemd backend drives `systemctl --user`; a stub
// on PATH records what it runs (no user manager is touched).
func TestKardianosControlLinux(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the systemd backend exists on Linux only")
	}
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	stub := "#!/bin/sh\necho \"$*\" >> " + log + "\ncase \"$1\" in is-active) echo active;; esac\n"
	if err := os.WriteFile(filepath.Join(dir, "systemctl"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	c, err := kardianosControl(Layout{GOOS: "linux", AgentExe: "/usr/bin/eidbridge"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	if s, err := c.Status(); s != service.StatusRunning || err != nil {
		t.Errorf("Status %v %v, want running", s, err)
	}
	want := "start --user eidbridge.service\nis-active eidbridge.service --user\n"
	if got := readFile(t, log); got != want {
		t.Errorf("systemctl ran:\n%s\nwant:\n%s", got, want)
	}
}
