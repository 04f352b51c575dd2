package main

import (
	"crypto/x509"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/installer/doctor"
	"github.com/eidbridge/eidbridge/nmhost"
	"github.com/eidbridge/eidbridge/verify"
)

// webEIDSite is the https site the Web eID tests log in to.
const webEIDSite = "https://mijn.belgium.be"

// webEIDProc is the built binary started as Chrome starts the Web eID
// native application for the official extension, in home's directories.
type webEIDProc struct {
	in   io.WriteCloser
	out  io.Reader
	done chan struct{} // closed when the host has ended
}

func startWebEIDProc(t *testing.T, home string) *webEIDProc {
	t.Helper()
	cmd := exec.Command(e2eBin, "nm-host", "chrome-extension://"+nmhost.WebEIDChromeID+"/")
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_STATE_HOME="+filepath.Join(home, "state"))
	p := startHostProc(t, cmd)
	p.read(t, 5*time.Second, "version") // the extension waits 5 s for it
	return p
}

// startHostProc starts cmd as the browser starts a native host: pipes
// to its stdin and from its stdout, its log shown when the test fails.
func startHostProc(t *testing.T, cmd *exec.Cmd) *webEIDProc {
	t.Helper()
	in, _ := cmd.StdinPipe()
	// A pipe of our own, not StdoutPipe: Wait, which runs at once below,
	// closes StdoutPipe's read end when the host exits, and a host that
	// answers and then exits (no agent) could lose its answer unread.
	out, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = w
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Start()
	w.Close() // the host holds its own copy
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Close() })
	p := &webEIDProc{in: in, out: out, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		in.Close()
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Error("nm-host did not end")
		}
		if t.Failed() {
			t.Logf("nm-host's log:\n%s", stderr.String())
		}
	})
	return p
}

// read returns the next message, failing after wait; want is what the
// test expects, for the failure message.
func (p *webEIDProc) read(t *testing.T, wait time.Duration, want string) map[string]any {
	t.Helper()
	got := make(chan []byte, 1)
	go func() { msg, _ := nmhost.ReadFrame(p.out, nmhost.MaxToBrowser); got <- msg }()
	select {
	case msg := <-got:
		var m map[string]any
		if err := json.Unmarshal(msg, &m); err != nil {
			t.Fatalf("nm-host wrote %q, want the %s: %v", msg, want, err)
		}
		if v, _ := m["version"].(string); want == "version" && !strings.HasPrefix(v, "2.9.0+eidbridge.") {
			t.Fatalf("first message %v, want the version", m)
		}
		return m
	case <-time.After(wait):
		t.Fatalf("no %s from nm-host within %v", want, wait)
		return nil
	}
}

func (p *webEIDProc) ask(t *testing.T, command string, args map[string]any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"command": command, "arguments": args})
	return p.exchange(t, string(b), command+"'s answer")
}

// exchange sends msg and returns the host's next message, want.
func (p *webEIDProc) exchange(t *testing.T, msg, want string) map[string]any {
	t.Helper()
	p.in.Write(frame(msg))
	return p.read(t, 30*time.Second, want)
}

// With no agent running, the Web eID extension hears the version, then an
// error that tells the citizen what to do.
func TestNMHostWebEIDWithoutAgent(t *testing.T) {
	home := t.TempDir()
	cfg := agent.DefaultConfig()
	cfg.Port = freePort(t)
	if err := cfg.Save(filepath.Join(home, "config", "eidbridge", "config.json")); err != nil {
		t.Fatal(err)
	}
	m := startWebEIDProc(t, home).ask(t, "authenticate", map[string]any{"challengeNonce": newNonce(t), "origin": webEIDSite, "lang": "nl"})
	e, _ := m["error"].(map[string]any)
	if msg, _ := e["message"].(string); e["code"] != "ERR_WEBEID_NATIVE_FATAL" || !strings.Contains(msg, "eidbridge start") ||
		!strings.Contains(msg, "niet gestart") {
		t.Errorf("answer %v, want ERR_WEBEID_NATIVE_FATAL saying, in Dutch, to start eidbridge", m)
	}
	if m := startWebEIDProc(t, home).ask(t, "quit", map[string]any{}); len(m) != 0 {
		t.Errorf("quit: %v, want {}", m)
	}
}

// Through the built nm-host, `eidbridge run` and the virtual card in
// pcscd: a login as the official extension asks for it, with a token the
// site validates.
func TestNMHostWebEIDThroughAgent(t *testing.T) {
	needPCSC(t)
	dir := copyProfile(t, "citizen-1.8")
	ag := startAgentProc(t, "--allow-origin", webEIDSite)
	startVcard(t, dir, "1.8")
	ag.dial(t).waitCardPresent()
	nonce := newNonce(t)
	tok := startWebEIDProc(t, ag.dir).ask(t, "authenticate", map[string]any{"challengeNonce": nonce, "origin": webEIDSite})
	raw, _ := json.Marshal(tok)
	content, err := virtualcard.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := virtualcard.CertDER(content.Files["3F00DF00503A"])
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	inter := x509.NewCertPool()
	inter.AddCert(ca)
	v, err := verify.NewValidator(verify.Config{Origin: webEIDSite, Roots: profileRoots(t, dir), Intermediates: inter})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Validate(raw, nonce); err != nil || len(tok) != 5 {
		t.Errorf("the token %v does not validate: %v", tok, err)
	}
	if q := ag.file(t, "questions"); !strings.Contains(q, `"origin":"`+webEIDSite+`"`) {
		t.Errorf("the agent's dialog did not name %s:\n%s", webEIDSite, q)
	}
}

// `nm-host install --webeid` makes eidbridge the application that answers
// Web eID sites, which the doctor reports per browser; uninstall gives
// the place back to what was there (here: nothing).
func TestNMHostWebEIDInstallAndDoctor(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	if err := os.MkdirAll(filepath.Join(home, "config", "chromium"), 0o755); err != nil { // Chromium is used
		t.Fatal(err)
	}
	out := mustRun(t, "nm-host", "install", "--webeid", "--browser", "chromium")
	manifest := filepath.Join(home, "config", "chromium", "NativeMessagingHosts", "eu.webeid.json")
	if !strings.Contains(out, manifest) {
		t.Errorf("install --webeid did not report %s:\n%s", manifest, out)
	}
	res, _ := doctorJSON(t)
	if r := res["webeid/chromium"]; r.Status != doctor.OK || !strings.Contains(r.Detail, "eidbridge answers them") {
		t.Errorf("doctor after install --webeid: %+v", r)
	}
	if r := res["webeid/firefox"]; r.Status != doctor.Skip {
		t.Errorf("doctor for a browser not used: %+v", r)
	}
	mustRun(t, "nm-host", "uninstall", "--webeid", "--browser", "chromium")
	if _, err := os.Stat(manifest); err == nil {
		t.Errorf("uninstall --webeid left %s", manifest)
	}
	res, _ = doctorJSON(t)
	// Nothing, or web-eid-app's registration for all users where this
	// machine has one.
	if r := res["webeid/chromium"]; strings.Contains(r.Detail, "eidbridge answers") || r.Status != doctor.Skip && r.Status != doctor.OK {
		t.Errorf("doctor after uninstall --webeid: %+v", r)
	}
	if r := runBin(t, "nm-host", "install", "--webeid", "--chrome-id", strings.Repeat("a", 32)); r.code != 2 {
		t.Errorf("--webeid with --chrome-id: exit %d, want the usage (2)", r.code)
	}
}
