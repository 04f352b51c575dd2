package agent_test

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

func TestListenLoopbackOnly(t *testing.T) {
	lns, err := agent.Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	port := lns[0].Addr().(*net.TCPAddr).Port
	for _, ln := range lns {
		a := ln.Addr().(*net.TCPAddr)
		if !a.IP.IsLoopback() || a.Port != port {
			t.Errorf("listening on %v", a)
		}
	}
	if _, err := agent.Listen(port); !errors.Is(err, agent.ErrPortInUse) {
		t.Errorf("second Listen on %d: %v, want ErrPortInUse", port, err)
	}
}

// Shutdown closes connections with 1001 and ends a pending dialog.
func TestShutdown(t *testing.T) {
	u := newScriptUI(hang())
	e := start(t, "citizen-1.7", u)
	c := e.dial(testOrigin)
	c.send("authenticate", authParams)
	<-u.askedC
	e.stop()
	c.wantClose(websocket.CloseGoingAway)
	select {
	case err := <-e.done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
	if !containsAll(e.audit.String(), `"outcome":"USER_CANCELLED"`) {
		t.Errorf("audit: %s", e.audit.String())
	}
}

// The real exec: UI answers the agent's questions.
func TestExecUI(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the test's answer script is a POSIX shell script")
	}
	script := filepath.Join(t.TempDir(), "answer.sh")
	body := "#!/bin/sh\nread q\ncase \"$q\" in *'\"kind\":\"pin\"'*) echo '{\"pin\":\"1234\"}';; *) echo '{\"allow\":true}';; esac\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	x, err := ui.New("exec:" + script)
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, "citizen-1.8", newScriptUI(), func(o *agent.Options) { o.UI = x })
	c := e.dial(testOrigin)
	var tok agent.AuthToken
	c.ok("authenticate", authParams, &tok)
	checkTokenStdlib(t, tok, testOrigin, testNonce, fixtureCert(t, "citizen-1.8", fileAuthCert))
	var id agent.IdentityResult
	c.ok("readIdentity", map[string]any{"include": []string{"identity"}}, &id)
}
