//go:build unix

package agent_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
)

// helperEnv makes the test binary a local attacker process (see
// TestHelperProcess): "dial PORT ORIGIN" tries one handshake, "hold PORT
// N" opens N connections that never send a byte and keeps them.
const helperEnv = "EIDBRIDGE_AGENT_TEST_HELPER"

func TestHelperProcess(t *testing.T) {
	args := strings.Fields(os.Getenv(helperEnv))
	if len(args) != 3 {
		t.Skip("helper process for other tests")
	}
	port, _ := strconv.Atoi(args[1])
	switch args[0] {
	case "dial":
		c, resp, err := rawTry(port, args[2])
		switch {
		case err != nil:
			fmt.Println("refused:", err)
		default:
			fmt.Println("status", resp.StatusCode)
			c.Close()
		}
	case "hold":
		n, _ := strconv.Atoi(args[2])
		held := make([]net.Conn, 0, n)
		for range n {
			c, err := net.Dial("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
			if err != nil {
				break
			}
			held = append(held, c)
		}
		fmt.Println("held", len(held))
		io.Copy(io.Discard, os.Stdin) // until the test ends
	}
	os.Exit(0)
}

// helper starts the test binary as a helper process, as uid when not 0.
func helper(t *testing.T, uid int, args ...string) (*exec.Cmd, *bufio.Reader, io.WriteCloser) {
	t.Helper()
	bin := os.Args[0]
	if uid != 0 {
		bin = copyForAll(t, bin)
	}
	cmd := exec.Command(bin, "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+strings.Join(args, " "))
	if uid != 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid)}}
	}
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Wait() })
	return cmd, bufio.NewReader(out), in
}

// copyForAll copies the test binary where any user may run it (go test
// builds it in a directory private to the user).
func copyForAll(t *testing.T, bin string) string {
	dir, err := os.MkdirTemp("", "eidbridge-agent-helper-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	b, err := os.ReadFile(bin)
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(dir+"/agent.test", b, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir + "/agent.test"
}

// Another local user's process forges an allowed site's Origin: on
// Linux the agent sees whose socket connected and drops it, and audits
// the refusal; the agent's own user is served.
func TestHostileOtherUser(t *testing.T) {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("needs Linux and root, to connect as another user")
	}
	e := start(t, "citizen-1.8", newScriptUI())
	_, out, _ := helper(t, 65534, "dial", strconv.Itoa(e.port), testOrigin)
	line, _ := out.ReadString('\n')
	if !strings.HasPrefix(line, "refused:") || !strings.Contains(line, "reset") {
		t.Errorf("another user's process got %q, want the connection reset", line)
	}
	if !containsAll(e.logs.String(), "a process of another user (uid 65534) connected") ||
		!containsAll(e.audit.String(), "another user's process", "REFUSED") {
		t.Errorf("the refusal is not logged and audited:\n%s\n%s", e.logs, e.audit)
	}
	_, out, _ = helper(t, 0, "dial", strconv.Itoa(e.port), testOrigin)
	if line, _ := out.ReadString('\n'); line != "status 101\n" {
		t.Errorf("the agent's own user got %q, want 101", line)
	}
}

// Two local processes hold thousands of connections that never send a
// handshake (the fds of the agent's process would run out); a page is
// still admitted at once.
func TestHostileHalfOpenFlood(t *testing.T) {
	const perProcess = 9000
	e := start(t, "citizen-1.8", newScriptUI())
	for range 2 {
		_, out, _ := helper(t, 0, "hold", strconv.Itoa(e.port), strconv.Itoa(perProcess))
		if line, _ := out.ReadString('\n'); line != fmt.Sprintf("held %d\n", perProcess) {
			t.Fatalf("attacker: %q", line)
		}
	}
	t0 := time.Now()
	c, resp, err := rawTry(e.port, testOrigin)
	took := time.Since(t0)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("a page next to %d half-open connections: %v %v (after %v)", 2*perProcess, resp, err, took)
	}
	c.Close()
	t.Logf("a page admitted in %v next to %d half-open connections", took, 2*perProcess)
}

// net/http answers a too long request by itself (431); a page could make
// one with a long URL and tell the agent is there. It gets a reset.
func TestHostileLongRequestUnanswered(t *testing.T) {
	e := start(t, "", newScriptUI())
	c, err := net.Dial("tcp4", fmt.Sprintf("127.0.0.1:%d", e.port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", strings.Repeat("a", 64<<10), e.port)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(c)
	if len(b) != 0 || !dropped(err) && err != nil {
		t.Errorf("a too long request got %q (%v), want no answer", b, err)
	}
}

// One site cannot take every connection: past its own cap it is dropped,
// while another site still connects.
func TestHostilePerSiteCap(t *testing.T) {
	e := start(t, "", newScriptUI(), func(o *agent.Options) { o.Limits.MaxPerOrigin = 5 })
	for range 5 {
		e.dial(testOrigin)
	}
	if status, _, _ := e.handshake("/v1", "", testOrigin); status != 0 {
		t.Errorf("a sixth connection of one site: %d, want it dropped", status)
	}
	e.dial("https://www.belgium.be")
}

// A refused dialog does not bring the next at once: the site is held
// back, longer after each refusal, instead of 49 dialogs in 3 s.
func TestHostileDialogSpam(t *testing.T) {
	clk := &atomicTime{}
	u := newScriptUI()
	for range 60 {
		u.add(cancel())
	}
	e := start(t, "citizen-1.8", u, withClock(clk))
	c := e.dial(testOrigin)
	limited := 0
	for range 49 {
		r := c.call("authenticate", map[string]any{"challengeNonce": testNonce})
		if r.Error != nil && r.Error.Code == agent.CodeRateLimited {
			limited++
		}
	}
	if n := len(u.questions()); n != 1 || limited != 48 {
		t.Fatalf("49 requests at once: %d dialogs, %d held back; want 1 dialog", n, limited)
	}
	waits := []time.Duration{}
	for range 4 { // 2 s, 4 s, 8 s, 16 s
		asked := len(u.questions())
		var waited time.Duration
		for len(u.questions()) == asked && waited < time.Hour {
			clk.add(time.Second)
			waited += time.Second
			c.call("authenticate", map[string]any{"challengeNonce": testNonce})
		}
		waits = append(waits, waited)
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] < 2*waits[i-1]-time.Second {
			t.Errorf("back-off after each refusal %v, want it to double", waits)
		}
	}
}
