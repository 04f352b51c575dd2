package packaging

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The Windows agent's peer check (agent/peer_windows.go) under Wine, as
// far as Wine can show it. Wine's TCP table (GetExtendedTcpTable) names
// the owning process of a Wine process's IPv4 connection, and names none
// (pid 0) for a connection of a native Linux process: so a program of
// this Windows user, nm-host, is admitted and relays, and a process the
// agent cannot attribute to a process of its user is reset before its
// request is read. What Wine cannot show: a process of another Windows
// user (a prefix has one user, every process the same SID) or an elevated
// one, and IPv6 (Wine 8 names no owner on any IPv6 row, so the agent
// refuses every [::1] connection there).
func TestWineAgentRefusesForeignPeers(t *testing.T) {
	w := newWine(t)
	dir := t.TempDir()
	exe := filepath.Join(dir, "eidbridge.exe")
	goWindows(t, "build", "-o", exe, "./cmd/eidbridge")
	agentLog := filepath.Join(w.tmp, "agent.log")
	w.background(agentLog, exe, "run")
	w.waitAgent(true)

	t.Run("own user admitted", func(t *testing.T) {
		out := w.in(t).withInput(nmFrame(`{"origin":"https://www.belgium.be"}`), exe, "nm-host")
		if status := firstFrame(out); status != `{"relay":{"status":"ready"}}` {
			t.Errorf("nm-host, a program of the agent's user, got %q, want ready\n%s", status, readLog(agentLog))
		}
	})

	t.Run("no owning process refused", func(t *testing.T) {
		c, err := net.Dial("tcp4", fmt.Sprintf("127.0.0.1:%d", w.port))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// What a page on an allowed origin sends: the agent would serve it.
		fmt.Fprintf(c, "GET /v1 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: https://www.belgium.be\r\n"+
			"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ZWlkYnJpZGdlIHBlZXJzIQ==\r\n"+
			"Sec-WebSocket-Version: 13\r\n\r\n", w.port)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		b := make([]byte, 64)
		if n, _ := c.Read(b); n > 0 {
			t.Errorf("a native Linux process was answered: %q", b[:n])
		}
		want := `reason="the system names no process for the connecting socket" remote=` + c.LocalAddr().String()
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(readLog(agentLog), want); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the agent's log does not say %s:\n%s", want, readLog(agentLog))
			}
		}
	})

	// The Windows-only unit tests of the peer check, run where they can.
	t.Run("agent peer tests", func(t *testing.T) {
		test := filepath.Join(dir, "agent.test.exe")
		goWindows(t, "test", "-c", "-o", test, "./agent")
		out, err := w.in(t).run(test, "-test.run", "^TestPeer", "-test.v")
		if err != nil || !strings.Contains(out, "--- PASS: TestPeerTableParsing") ||
			!strings.Contains(out, "--- PASS: TestPeerOwnProcess/127.0.0.1:0") {
			t.Errorf("agent.test.exe -test.run ^TestPeer: %v\n%s", err, out)
		}
	})
}

// goWindows runs a go command for windows/amd64 in the module root.
func goWindows(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = repoRoot(), append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// background starts a Windows program that runs until the test ends,
// its output in logPath.
func (w *wine) background(logPath string, args ...string) {
	w.t.Helper()
	f, err := os.Create(logPath)
	if err != nil {
		w.t.Fatal(err)
	}
	cmd := exec.Command(w.bin, args...)
	cmd.Env = append(os.Environ(), w.env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); f.Close() })
}

// withInput runs a Windows program with in as its standard input and
// returns its standard output. The output goes through files, as in run.
func (w *wine) withInput(in []byte, args ...string) []byte {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err1 := os.CreateTemp(w.tmp, "out")
	errOut, err2 := os.CreateTemp(w.tmp, "err")
	if err1 != nil || err2 != nil {
		w.t.Fatal(err1, err2)
	}
	defer out.Close()
	defer errOut.Close()
	cmd := exec.CommandContext(ctx, w.bin, args...)
	cmd.Env = append(os.Environ(), w.env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(in), out, errOut
	if err := cmd.Run(); err != nil {
		w.t.Errorf("wine64 %s: %v\n%s", strings.Join(args, " "), err, readLog(errOut.Name()))
	}
	b, _ := os.ReadFile(out.Name())
	return b
}

// nmFrame is a native-messaging message: its length, then the JSON.
func nmFrame(msg string) []byte {
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(msg))), msg...)
}

// firstFrame is the first native-messaging message in b, or "".
func firstFrame(b []byte) string {
	if len(b) < 4 || int(binary.LittleEndian.Uint32(b)) > len(b)-4 {
		return ""
	}
	return string(b[4 : 4+binary.LittleEndian.Uint32(b)])
}

func readLog(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
