package main

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent/agenttest"
)

// demoProc is an `eidbridge demo` subprocess, up and past its banner.
type demoProc struct {
	cmd    *exec.Cmd
	banner string
	stderr *agenttest.Buffer // the demo's stderr
	done   chan struct{}     // closed when the process has exited
	exit   int
}

const demoBannerEnd = "Ctrl-C stops the demo."

// startDemo runs the demo binary with args and waits for its banner. The
// process is stopped (Ctrl-C) at the end of the test if still running.
func startDemo(t *testing.T, args ...string) *demoProc {
	t.Helper()
	return startDemoCmd(t, exec.Command(e2eBin, append([]string{"demo"}, args...)...))
}

// startDemoCmd starts a prepared demo command (its own environment or
// terminal) and waits for its banner.
func startDemoCmd(t *testing.T, cmd *exec.Cmd) *demoProc {
	t.Helper()
	p := &demoProc{cmd: cmd, stderr: &agenttest.Buffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the demo: %v", err)
	}
	banner := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), demoBannerEnd) {
				banner <- b.String()
			}
		}
		close(banner)
		cmd.Wait()
		p.exit = cmd.ProcessState.ExitCode()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t) })
	select {
	case s, ok := <-banner:
		if !ok {
			t.Fatalf("the demo exited before its banner:\n%s", p.stderr)
		}
		p.banner = s
	case <-time.After(15 * time.Second):
		t.Fatalf("no banner from the demo within 15 s:\n%s", p.stderr)
	}
	return p
}

// stop sends Ctrl-C and checks the demo stops cleanly and soon.
func (p *demoProc) stop(t *testing.T) {
	t.Helper()
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
		t.Errorf("the demo did not stop within 10 s of Ctrl-C:\n%s", p.stderr)
		return
	}
	if p.exit != 0 || !strings.Contains(p.stderr.String(), "demo: stopped") {
		t.Errorf("Ctrl-C: exit %d, want a clean stop:\n%s", p.exit, p.stderr)
	}
}

// field is the first group of re in the banner.
func (p *demoProc) field(t *testing.T, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(p.banner)
	if m == nil {
		t.Fatalf("banner has no %s:\n%s", re, p.banner)
	}
	return m[1]
}

func (p *demoProc) url(t *testing.T) string {
	return p.field(t, `Open (http://\S+)/ in your browser`)
}
