package main

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/internal/ptytest"
)

var noDisplay = []string{"DISPLAY=", "WAYLAND_DISPLAY="}

// Without a display the demo runs with the agent's questions in the
// terminal it was started from: it says so in one line, tells how to
// reach it over SSH, and the citizen types the PIN there (no echo).
func TestDemoWithoutDisplayAsksInTheTerminal(t *testing.T) {
	pty := ptytest.Open(t)
	tty, err := os.OpenFile(pty.Slave, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	cmd := exec.Command(e2eBin, "demo", "--addr", "127.0.0.1:0", "--agent-port", "0")
	cmd.Env = append(os.Environ(), noDisplay...)
	cmd.Stdin = tty // the controlling terminal, as in a login shell
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	p := startDemoCmd(t, cmd)

	const note = "demo: no graphical display here, so the agent asks for your consent and the PIN in this terminal\n"
	if n := strings.Count(p.stderr.String(), note); n != 1 {
		t.Errorf("the terminal note appears %d times, want once:\n%s", n, p.stderr)
	}
	portal := p.field(t, `Open http://127\.0\.0\.1:(\d+)/`)
	agentPort := p.field(t, `agent +ws://127\.0\.0\.1:(\d+)/v1`)
	ssh := "ssh -L " + portal + ":127.0.0.1:" + portal + " -L " + agentPort + ":127.0.0.1:" + agentPort + " "
	for _, want := range []string{"dialogs  in this terminal", ssh} {
		if !strings.Contains(p.banner, want) {
			t.Errorf("banner does not say %q:\n%s", want, p.banner)
		}
	}

	b := newDemoBrowser(t, p.url(t))
	next := make(chan string, 1)
	go func() {
		defer close(next)
		next <- b.requestWithEID()
	}()
	pty.WaitFor(t, "PIN (Ctrl-C to cancel): ", 1, 15*time.Second)
	pty.Master.Write([]byte("1234\r"))
	pty.WaitFor(t, "[y/N] ", 1, 15*time.Second)
	pty.Master.Write([]byte("y\r"))
	select {
	case n := <-next:
		if n != "/request/account" {
			t.Errorf("request with PIN and consent typed in the terminal: next page %q, want /request/account", n)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the request did not finish:\n%s", pty.Output())
	}
	if strings.Contains(pty.Output(), "1234") {
		t.Errorf("the PIN was echoed on the terminal: %q", pty.Output())
	}
}

// With neither a display nor a terminal (CI, a service) the demo stops
// and says how to run it; it never answers the PIN by itself unasked.
func TestDemoWithoutDisplayOrTerminal(t *testing.T) {
	free := []string{"--addr", "127.0.0.1:0", "--agent-port", "0"}
	detach := func(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
	for _, c := range []struct {
		name string
		env  []string
		want string
	}{
		{"no display", noDisplay, "no graphical display and no terminal to ask in"},
		{"no display on CI", append(noDisplay, "CI=true"), "on CI, run `eidbridge demo --auto-pin`"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runDemoCmd(t, c.env, detach, free...)
			wantOneLineError(t, r, c.want)
			if r.stdout != "" {
				t.Errorf("printed a banner although it did not start:\n%s", r.stdout)
			}
		})
	}
	if r := runDemoCmd(t, noDisplay, detach, append(free, "--ui", "terminal")...); !strings.Contains(r.stderr, "no terminal") ||
		r.code != 1 {
		t.Errorf("--ui terminal without a terminal: exit %d, %q", r.code, r.stderr)
	}
}
