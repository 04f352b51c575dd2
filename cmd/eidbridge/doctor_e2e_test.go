package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/installer/doctor"
)

// The doctor tests use the second vpcd slot.
const (
	doctorReader = "Virtual PCD 00 01"
	doctorAddr   = "127.0.0.1:35964"
)

// startProc runs eidbridge with args until the test ends (SIGTERM).
func startProc(t *testing.T, args ...string) *vcardProc {
	t.Helper()
	cmd := exec.Command(e2eBin, args...)
	log, err := os.Create(filepath.Join(t.TempDir(), "proc.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting eidbridge %v: %v", args, err)
	}
	p := &vcardProc{cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		p.stop(t)
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("eidbridge %v log:\n%s", args, b)
		}
	})
	return p
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitListening(t *testing.T, port int) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp4", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("the agent never listened on port %d", port)
}

// doctorJSON runs `eidbridge doctor --json` and indexes its results.
func doctorJSON(t *testing.T) (map[string]doctor.Result, int) {
	t.Helper()
	r := runBin(t, "doctor", "--json")
	var rep doctor.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	out := map[string]doctor.Result{}
	for _, x := range rep.Results {
		out[x.ID] = x
	}
	return out, r.code
}

// A citizen's full setup: a fresh virtual eID in a reader through pcscd,
// `eidbridge install`, the agent running. The doctor finds nothing wrong;
// once the agent stops, it says so and how to start it.
func TestDoctorGreenThroughPCSC(t *testing.T) {
	needPCSC(t)
	newUserHome(t)
	card := filepath.Join(t.TempDir(), "card")
	mustRun(t, "vcard", "init", card, "--applet", "1.8") // certificates valid from today
	waitList(t, doctorReader+": no card")
	t.Cleanup(func() { waitList(t, doctorReader+": no card") }) // after the card's process stops
	startProc(t, "vcard", "run", card, "--vpcd", doctorAddr)
	waitList(t, doctorReader+": Belgian eID, applet 1.8")

	port := freePort(t)
	cfg := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "eidbridge", "config.json")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`{"port": %d, "ui": "exec:true"}`, port)), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "install")
	t.Cleanup(func() { runBin(t, "uninstall") })
	ag := startProc(t, "run")
	waitListening(t, port)

	res, code := doctorJSON(t)
	for _, id := range []string{"config", "allowlist", "pcscd", "readers", "card", "certificates", "pin", "agent", "port", "service"} {
		if r, ok := res[id]; !ok || r.Status != doctor.OK {
			t.Errorf("%s: %+v, want ok", id, r)
		}
	}
	for id, r := range res {
		if r.Status != doctor.OK && r.Status != doctor.Skip {
			t.Errorf("%s: %s %q", id, r.Status, r.Detail)
		}
	}
	if code != 0 {
		t.Errorf("doctor exit %d on a healthy setup", code)
	}

	ag.stop(t)
	res, code = doctorJSON(t)
	if r := res["agent"]; r.Status != doctor.Fail || r.Fix == "" || code != 1 {
		t.Errorf("agent stopped: %+v exit %d, want a failure with its fix and exit 1", r, code)
	}
}
