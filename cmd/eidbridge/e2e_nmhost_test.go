package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/endpoint"
	"github.com/eidbridge/eidbridge/nmhost"
)

// An agent started with --port (not the configured port) is still found
// by the relay the browser starts, through the port it publishes; the
// file goes when the agent stops.
func TestNMHostFindsAgentOnItsPort(t *testing.T) {
	needPCSC(t)
	var published string
	t.Cleanup(func() { // runs after the agent has stopped
		if _, err := os.Stat(published); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the stopped agent left %s (%v)", published, err)
		}
	})
	ag := startAgentProc(t)
	if ag.port == agent.DefaultPort {
		t.Skip("the free port is the default one; nothing to find")
	}
	published = filepath.Join(ag.dir, "state", "eidbridge", endpoint.File)
	if e, err := endpoint.Read(published); err != nil || e.Port != ag.port {
		t.Fatalf("published endpoint %+v, %v; want port %d", e, err, ag.port)
	}

	host := exec.Command(e2eBin, "nm-host", "chrome-extension://"+nmhost.DevChromeID+"/")
	host.Env = append(os.Environ(), "HOME="+ag.dir, "XDG_CONFIG_HOME="+filepath.Join(ag.dir, "config"),
		"XDG_STATE_HOME="+filepath.Join(ag.dir, "state"))
	p := startHostProc(t, host)
	in, out := p.in, p.out
	in.Write(frame(`{"origin":"` + agentSite + `"}`))
	if msg := readHostMsg(t, out); !strings.Contains(msg, `"ready"`) {
		t.Fatalf("host status %s; want ready", msg)
	}
	in.Write(frame(`{"id":"1","op":"nope"}`))
	var reply struct {
		ID    string       `json:"id"`
		Error *agent.Error `json:"error"`
	}
	json.Unmarshal([]byte(readHostMsg(t, out)), &reply)
	if reply.ID != "1" || reply.Error == nil || reply.Error.Code == "" {
		t.Errorf("the agent's reply through the host: %+v", reply)
	}
	in.Close()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Error("nm-host did not stop when the browser closed its stdin")
	}
}

// readHostMsg reads the host's next message that is not an agent event.
func readHostMsg(t *testing.T, out interface{ Read([]byte) (int, error) }) string {
	t.Helper()
	for {
		msg, err := nmhost.ReadFrame(out, nmhost.MaxToBrowser)
		if err != nil {
			t.Fatalf("reading from nm-host: %v", err)
		}
		if !strings.Contains(string(msg), `"event"`) {
			return string(msg)
		}
	}
}

// The host the browser starts answers the origins query from the user's
// configuration file, with no agent running.
func TestNMHostOriginsQueryFromConfigFile(t *testing.T) {
	dir := t.TempDir()
	cfg := agent.DefaultConfig()
	cfg.AllowedOrigins = []string{"https://*.example.be", "http://127.0.0.1:8080"}
	if err := cfg.Save(filepath.Join(dir, "config", "eidbridge", "config.json")); err != nil {
		t.Fatal(err)
	}
	host := exec.Command(e2eBin, "nm-host", "chrome-extension://"+nmhost.DevChromeID+"/")
	host.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"))
	host.Stdin = bytes.NewReader(frame(`{"query":"origins"}`))
	out, err := host.Output()
	if err != nil {
		t.Fatalf("nm-host: %v", err)
	}
	msg, err := nmhost.ReadFrame(bytes.NewReader(out), nmhost.MaxToBrowser)
	if want := `{"origins":["https://*.example.be","http://127.0.0.1:8080"],"firstContact":true}`; err != nil || string(msg) != want {
		t.Errorf("answer %s (%v), want %s", msg, err, want)
	}
}

// frame is msg as the browser writes it to a host.
func frame(msg string) []byte {
	return append(binary.NativeEndian.AppendUint32(nil, uint32(len(msg))), msg...)
}
