package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
)

// runDemoEnv runs the demo to its end with env added to the environment.
func runDemoEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return runDemoCmd(t, env, func(*exec.Cmd) {}, args...)
}

// runDemoCmd is runDemoEnv with the command prepared by prepare first.
func runDemoCmd(t *testing.T, env []string, prepare func(*exec.Cmd), args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e2eBin, append([]string{"demo"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	prepare(cmd)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Run()
	return result{out.String(), errb.String(), cmd.ProcessState.ExitCode()}
}

func TestDemoRefusesBadSettings(t *testing.T) {
	free := []string{"--addr", "127.0.0.1:0", "--agent-port", "0"}
	for _, c := range []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"not loopback", nil, []string{"--auto-pin", "--addr", "0.0.0.0:0"}, "loopback only"},
		{"no port", nil, []string{"--auto-pin", "--addr", "127.0.0.1"}, "want HOST:PORT"},
		{"service not loopback", nil, append([]string{"--auto-pin", "--service-addr", "192.0.2.1:8444"}, free...),
			`--service-addr "192.0.2.1:8444": the demo serves on loopback only`},
		{"applet", nil, append([]string{"--auto-pin", "--applet", "1.9"}, free...), `--applet "1.9"`},
		{"auto-pin and ui", nil, append([]string{"--auto-pin", "--ui", "terminal"}, free...), "exclude each other"},
		{"ui", nil, append([]string{"--ui", "exec:true"}, free...), `--ui "exec:true"`},
		{"agent port", nil, []string{"--auto-pin", "--agent-port", "70000"}, "0 to 65535"},
		{"allow-origin", nil, append([]string{"--auto-pin", "--allow-origin", "http://webeid.example"}, free...),
			"http is allowed only for"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runDemoEnv(t, c.env, c.args...)
			wantOneLineError(t, r, c.want)
			if r.stdout != "" {
				t.Errorf("printed a banner although it did not start:\n%s", r.stdout)
			}
		})
	}
	if r := runDemoEnv(t, nil, "--auto-pin", "stray"); r.code != 2 {
		t.Errorf("a stray argument: exit %d, want 2 (usage)", r.code)
	}
}

// TestDemoDataKept: --data keeps the card and the portal's data, the
// card is reused on the next run, and a conflicting --applet is refused.
func TestDemoDataKept(t *testing.T) {
	data := filepath.Join(t.TempDir(), "demo")
	args := []string{"--auto-pin", "--addr", "127.0.0.1:0", "--agent-port", "0", "--data", data}
	p := startDemo(t, args...)
	if !strings.Contains(p.banner, "(kept)") || !strings.Contains(p.banner, "PIN 1234 (the test default)") {
		t.Errorf("banner of a first run with --data:\n%s", p.banner)
	}
	p.stop(t)
	for _, f := range []string{"card/card.json", "trust.pem", "portal", agent.AuditFile} {
		if _, err := os.Stat(filepath.Join(data, f)); err != nil {
			t.Errorf("--data: %v", err)
		}
	}
	p = startDemo(t, args...)
	if !strings.Contains(p.banner, "PIN as stored in "+filepath.Join(data, "card", "card.json")) {
		t.Errorf("the second run did not reuse the card:\n%s", p.banner)
	}
	p.stop(t)
	wantOneLineError(t, runDemoEnv(t, nil, append(args, "--applet", "1.7")...), "holds an applet 1.8 card")
}

// TestDemoAgentPortTaken: with the default agent port taken (often by the
// citizen's own agent), the demo's agent takes a free one and says so.
func TestDemoAgentPortTaken(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(agent.DefaultPort))
	if err != nil {
		t.Logf("port %d already taken by another program: %v", agent.DefaultPort, err)
	} else {
		defer ln.Close()
	}
	p := startDemo(t, "--auto-pin", "--addr", "127.0.0.1:0")
	port := p.field(t, `agent +ws://127\.0\.0\.1:(\d+)/v1`)
	if port == strconv.Itoa(agent.DefaultPort) || !strings.Contains(p.banner, "uses "+port) {
		t.Errorf("agent on %s with %d taken:\n%s", port, agent.DefaultPort, p.banner)
	}
	b := newDemoBrowser(t, p.url(t))
	b.get("/request")
	if got := b.attr(`data-agent="([^"]+)"`); got != "ws://127.0.0.1:"+port+"/v1" {
		t.Errorf("the portal's page calls the agent at %s, not at the demo's port %s", got, port)
	}
}

// TestDemoAllowOrigin: --allow-origin lets the demo's agent serve another
// site too, such as a Web eID test page, with the virtual card (and
// --auto-pin answers for it); the banner says how such a page reaches the
// agent, and a site not named stays refused.
func TestDemoAllowOrigin(t *testing.T) {
	const page, pattern = "http://localhost:3000", "https://*.webeid.example.test"
	p := startDemo(t, "--auto-pin", "--addr", "127.0.0.1:0", "--agent-port", "0",
		"--allow-origin", page, "--allow-origin", pattern)
	for _, want := range []string{"(--allow-origin) " + page + ", " + pattern, "Web eID test page", "--agent-port 51950"} {
		if !strings.Contains(p.banner, want) {
			t.Errorf("banner does not say %q:\n%s", want, p.banner)
		}
	}
	agentURL := "ws://127.0.0.1:" + p.field(t, `agent +ws://127\.0\.0\.1:(\d+)/v1`) + "/v1"
	nonce := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	res := newDemoBrowser(t, page).agentCalls(agentURL,
		map[string]any{"op": "authenticate", "params": map[string]string{"challengeNonce": nonce}})
	var tok agent.AuthToken
	if err := json.Unmarshal(res[0], &tok); err != nil || tok.Format != agent.TokenFormat {
		t.Errorf("authenticate for %s: %s (%v)", page, res[0], err)
	}
	if ws, _, err := websocket.DefaultDialer.Dial(agentURL, http.Header{"Origin": {"http://localhost:3001"}}); err == nil {
		ws.Close()
		t.Error("the demo's agent accepted a site that --allow-origin does not name")
	}
}
