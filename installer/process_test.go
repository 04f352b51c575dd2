package installer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

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

// Wine's netstat lists no pid for the port (nor the port at all): the
// agent is found through the endpoint file it publishes, but its pid is
// killed only once its program is confirmed to be eidbridge.
func TestProcessControlPublishedAgent(t *testing.T) {
	const wineNetstat = "\nActive Connections\n\n  Proto  Local Address          Foreign Address        State\n"
	agentRow := `"eidbridgew.exe","4242","Console","1","1 K"`
	noImage := func(int) (string, error) { return "", errBoom }
	for _, tc := range []struct {
		name     string
		file     string // the endpoint file; %d is the port
		tasklist string // its output; "fail" fails it
		image    func(int) (string, error)
		started  time.Duration // the process's start relative to the file's; 0: unknown
		stops    bool
		wantErr  string
	}{
		{name: "started before the file", file: `{"port":%d,"pid":4242}`, tasklist: agentRow, image: noImage,
			started: -time.Minute, stops: true},
		{name: "started after the file", file: `{"port":%d,"pid":4242}`, tasklist: agentRow, image: noImage,
			started: time.Minute, wantErr: "started after the file was written"},
		{name: "tasklist confirms", file: `{"port":%d,"pid":4242}`, tasklist: agentRow, image: noImage, stops: true},
		{name: "the system confirms", file: `{"port":%d,"pid":4242}`, image: func(pid int) (string, error) {
			if pid != 4242 {
				return "", errBoom
			}
			return `C:\e\EIDBRIDGEW.EXE`, nil
		}, stops: true},
		{name: "pid reused", file: `{"port":%d,"pid":4242}`, tasklist: `"notepad.exe","4242","Console","1","1 K"`,
			image: noImage, wantErr: "notepad.exe, not eidbridge"},
		{name: "tasklist fails", file: `{"port":%d,"pid":4242}`, tasklist: "fail", image: noImage, wantErr: "could not be confirmed"},
		{name: "tasklist lists another pid", file: `{"port":%d,"pid":4242}`, tasklist: `"eidbridge.exe","42","Console","1","1 K"`,
			image: noImage, wantErr: "could not be confirmed"},
		{name: "nothing confirms", file: `{"port":%d,"pid":4242}`, image: noImage, wantErr: "could not be confirmed"},
		{name: "another port", file: `{"port":1,"pid":4242}`, tasklist: agentRow, wantErr: "not by the eidbridge agent"},
		{name: "no pid", file: `{"port":%d}`, tasklist: agentRow, wantErr: "not by the eidbridge agent"},
		{name: "no file", tasklist: agentRow, wantErr: "not by the eidbridge agent"},
		{name: "bad file", file: `{"port":%d,`, tasklist: agentRow, wantErr: "reading the agent's port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, run, spawned := windowsAgent(t, "")
			p.l.StateDir, p.image = t.TempDir(), tc.image
			run.out = map[string]string{"netstat": wineNetstat, "tasklist": tc.tasklist}
			if tc.tasklist == "fail" {
				run.out["tasklist"], run.fail = "", map[string]error{"tasklist": errBoom}
			}
			if tc.file != "" {
				body := strings.ReplaceAll(tc.file, "%d", fmt.Sprint(p.l.Port))
				must(os.WriteFile(filepath.Join(p.l.StateDir, "agent.json"), []byte(body), 0o600))
			}
			defer func(f func(int) (time.Time, error)) { processStarted = f }(processStarted)
			processStarted = func(int) (time.Time, error) {
				fi, err := os.Stat(filepath.Join(p.l.StateDir, "agent.json"))
				if tc.started == 0 || err != nil {
					return time.Time{}, errBoom
				}
				return fi.ModTime().Add(tc.started), nil
			}
			st, serr := p.Status()
			err := p.Stop()
			if tc.stops {
				if st != service.StatusRunning || serr != nil || err != nil || run.ran("taskkill /PID 4242 /F") != 1 {
					t.Errorf("Status %v (%v), Stop %v, calls %q: want the agent found and killed", st, serr, err, run.calls)
				}
				if listening(context.Background(), p.l.Port) {
					t.Error("the port still listens after Stop")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || serr == nil || st == service.StatusRunning {
				t.Errorf("Stop %v, Status %v (%v): want an error with %q", err, st, serr, tc.wantErr)
			}
			if serr := p.Start(); serr == nil || len(*spawned) != 0 {
				t.Errorf("Start %v, spawned %q: want no agent started onto a taken port", serr, *spawned)
			}
			if run.ran("taskkill") != 0 {
				t.Errorf("killed an unconfirmed pid: %q", run.calls)
			}
		})
	}
}

// A stale file that names this very command (its pid reused) is refused
// before any program is asked about.
func TestPublishedAgentIsNotThisCommand(t *testing.T) {
	dir := t.TempDir()
	must(os.WriteFile(filepath.Join(dir, "agent.json"), []byte(fmt.Sprintf(`{"port":51950,"pid":%d}`, os.Getpid())), 0o600))
	run := &fakeRunner{out: map[string]string{"tasklist": fmt.Sprintf(`"eidbridge.exe","%d","Console","1","1 K"`, os.Getpid())}}
	if o, err := publishedAgent(context.Background(), run, nil, dir, 51950); o != nil || err == nil || run.ran("tasklist") != 0 {
		t.Errorf("publishedAgent = %+v, %v (calls %q); want this command refused", o, err, run.calls)
	}
}
