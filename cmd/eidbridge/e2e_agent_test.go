package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/verify"
)

// agentPIN replaces the fixtures' PIN, so that finding it in a log
// means it leaked.
const agentPIN = "73914682"

// TestAgentEndToEnd runs `eidbridge run` with an exec: dialog script and
// `eidbridge vcard run` on a copy of each citizen fixture, and drives it
// from two pages as browsers would: a card pulled during the PIN dialog,
// the events of that, then authenticate, readIdentity, the signing
// certificate and a signature, each checked as a website would.
func TestAgentEndToEnd(t *testing.T) {
	needPCSC(t)
	for _, tc := range []struct{ fixture, applet, cardType string }{
		{"citizen-1.7", "1.7", "beid"},
		{"citizen-1.8", "1.8", "beid"},
	} {
		t.Run(tc.applet, func(t *testing.T) {
			dir := copyProfile(t, tc.fixture)
			ag := startAgentProc(t)
			vc := startVcard(t, dir, tc.applet)
			p, watcher := ag.dial(t), ag.dial(t)
			p.waitCardPresent()

			os.WriteFile(filepath.Join(ag.dir, "hold"), nil, 0o600) // the script now waits at the PIN
			id := p.send("authenticate", map[string]any{"challengeNonce": newNonce(t)})
			waitFile(t, filepath.Join(ag.dir, "waiting"))
			vc.replug(t) // out, and back in after half a second
			if m := p.reply(id); m.Error == nil || m.Error.Code != agent.CodeCardRemoved {
				t.Fatalf("authenticate with the card pulled during the PIN dialog: %+v", m)
			}
			os.Remove(filepath.Join(ag.dir, "hold"))
			for _, pg := range []*e2ePage{p, watcher} {
				pg.waitEvent(agent.EventCardRemoved, "")
				pg.waitEvent(agent.EventCardInserted, tc.cardType)
			}

			nonce := newNonce(t)
			var tok json.RawMessage
			p.ok("authenticate", map[string]any{"challengeNonce": nonce}, &tok)
			checkAgentToken(t, dir, tok, nonce)
			var idr agent.IdentityResult
			p.ok("readIdentity", map[string]any{"include": []string{"identity", "address", "photo"}}, &idr)
			roots := profileRoots(t, dir)
			if _, err := verify.VerifyIdentity(verify.IdentityData(idr.Files), verify.IdentityOptions{Roots: roots}); err != nil {
				t.Errorf("identity data do not verify: %v", err)
			}
			checkAgentSign(t, p, tc.applet)

			questions := ag.file(t, "questions")
			if !strings.Contains(questions, `"items":["identity","address","photo"]`) {
				t.Errorf("the readIdentity dialog does not list what is read:\n%s", questions)
			}
			audit := ag.file(t, "state/eidbridge/audit.jsonl")
			for _, want := range []string{`"operation":"authenticate","cardSerial":`, `"outcome":"CARD_REMOVED"`,
				`"operation":"readIdentity"`, `"operation":"sign"`} {
				if !strings.Contains(audit, want) {
					t.Errorf("audit log lacks %s:\n%s", want, audit)
				}
			}
			for name, text := range map[string]string{"log": ag.file(t, "agent.log"), "audit log": audit} {
				for _, s := range []string{agentPIN, idr.Identity.NationalNumber, idr.Identity.Surname,
					idr.Identity.GivenNames, idr.Identity.CardNumber, idr.Address.StreetAndNumber} {
					if strings.Contains(text, s) {
						t.Errorf("the agent's %s holds %q", name, s)
					}
				}
			}
		})
	}
}

// checkAgentSign gets the signing certificate and signs a SHA-256 hash,
// then checks the signature with the standard library.
func checkAgentSign(t *testing.T, p *e2ePage, applet string) {
	t.Helper()
	var sc agent.SigningCertificateResult
	p.ok("getSigningCertificate", nil, &sc)
	der, _ := base64.StdEncoding.DecodeString(sc.Certificate)
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("signing certificate: %v", err)
	}
	digest := sha256.Sum256([]byte("a document signed through eidbridge run"))
	var res agent.SignResult
	p.ok("sign", map[string]any{"hash": base64.StdEncoding.EncodeToString(digest[:]), "hashFunction": "SHA-256",
		"certificate": sc.Certificate}, &res)
	sig, _ := base64.StdEncoding.DecodeString(res.Signature)
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		err = rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig)
	case *ecdsa.PublicKey:
		n := len(sig) / 2
		if !ecdsa.Verify(k, digest[:], new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])) {
			err = fmt.Errorf("ECDSA signature of %d bytes does not verify", len(sig))
		}
	}
	if err != nil {
		t.Errorf("applet %s: %v", applet, err)
	}
}

// checkAgentToken validates a token as a website would: verify with the
// fixture's test root and its card's CA.
func checkAgentToken(t *testing.T, dir string, tok json.RawMessage, nonce string) {
	t.Helper()
	content, err := virtualcard.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	der, err := virtualcard.CertDER(content.Files["3F00DF00503A"])
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	inter := x509.NewCertPool()
	inter.AddCert(ca)
	v, err := verify.NewValidator(verify.Config{Origin: agentSite, Roots: profileRoots(t, dir), Intermediates: inter})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Validate(tok, nonce); err != nil {
		t.Errorf("the token does not validate: %v", err)
	}
}

func profileRoots(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "root-ca.pem"))
	pool := x509.NewCertPool()
	if err != nil || !pool.AppendCertsFromPEM(b) {
		t.Fatalf("root-ca.pem: %v", err)
	}
	return pool
}

// copyProfile copies a fixture to a fresh directory (vcard run saves
// the PIN counter into it) with the PIN changed to agentPIN.
func copyProfile(t *testing.T, fixture string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), fixture)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "eid", "virtualcard", "testdata", fixture))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "card.json")
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(b, []byte(`"pin": "1234"`)) {
		t.Fatalf("%s has no PIN 1234 to change (%v)", path, err)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(`"pin": "1234"`), []byte(`"pin": "`+agentPIN+`"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func newNonce(t *testing.T) string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// waitFile waits until path exists.
func waitFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s never appeared", path)
}

// agentSite is the site the pages are served from: a loopback http
// origin, which the agent accepts only when explicitly allowed.
const agentSite = "http://127.0.0.1:8443"

// agentProc is an `eidbridge run` subprocess with its own config, state
// and dialog script in dir.
type agentProc struct {
	dir  string
	port int
}

// uiScript answers as a citizen would: the PIN, or yes; while the file
// hold exists it stops at the PIN dialog (and is killed by the agent).
const uiScript = `#!/bin/sh
q=$(cat)
printf '%s\n' "$q" >> "$D/questions"
case "$q" in
*'"kind":"pin"'*)
	if [ -e "$D/hold" ]; then : > "$D/waiting"; exec sleep 60; fi
	echo '{"pin":"` + agentPIN + `"}' ;;
*) echo '{"allow":true}' ;;
esac
`

// startAgentProc runs `eidbridge run` for agentSite, with flags added.
func startAgentProc(t *testing.T, flags ...string) *agentProc {
	t.Helper()
	a := &agentProc{dir: t.TempDir(), port: freePort(t)}
	script := filepath.Join(a.dir, "ui.sh")
	if err := os.WriteFile(script, []byte(strings.ReplaceAll(uiScript, "$D", a.dir)), 0o700); err != nil {
		t.Fatal(err)
	}
	log, err := os.Create(filepath.Join(a.dir, "agent.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(e2eBin, append([]string{"run", "--ui", "exec:" + script, "--port", fmt.Sprint(a.port),
		"--allow-origin", agentSite, "--log-level", "debug"}, flags...)...)
	cmd.Env = append(os.Environ(), "HOME="+a.dir, "XDG_CONFIG_HOME="+filepath.Join(a.dir, "config"),
		"XDG_STATE_HOME="+filepath.Join(a.dir, "state"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting eidbridge run: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("eidbridge run on SIGTERM: %v", err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Error("eidbridge run did not stop on SIGTERM")
		}
		log.Close()
		if t.Failed() {
			t.Logf("eidbridge run log:\n%s", a.file(t, "agent.log"))
		}
	})
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp4", fmt.Sprintf("127.0.0.1:%d", a.port)); err == nil {
			c.Close()
			return a
		}
		select {
		case err := <-done:
			t.Fatalf("eidbridge run exited: %v\n%s", err, a.file(t, "agent.log"))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("eidbridge run is not listening after 15 s")
		}
	}
}

// file reads a file of the agent's directory.
func (a *agentProc) file(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(a.dir, name))
	if err != nil {
		t.Errorf("reading %s: %v", name, err)
	}
	return string(b)
}

// e2ePage is a website's connection to the agent.
type e2ePage struct {
	t      *testing.T
	ws     *websocket.Conn
	n      int
	events []e2eMessage // read while waiting for a reply
}

// e2eMessage is a reply or an event.
type e2eMessage struct {
	ID     *string         `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *agent.Error    `json:"error"`
	Event  string          `json:"event"`
	Data   agent.ReaderEventData
}

func (a *agentProc) dial(t *testing.T) *e2ePage {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws://127.0.0.1:%d/v1", a.port), http.Header{"Origin": {agentSite}})
	if err != nil {
		t.Fatalf("connecting to eidbridge run: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	return &e2ePage{t: t, ws: ws}
}

func (p *e2ePage) read() e2eMessage {
	p.t.Helper()
	p.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	var m e2eMessage
	if err := p.ws.ReadJSON(&m); err != nil {
		p.t.Fatalf("reading from the agent: %v", err)
	}
	return m
}

func (p *e2ePage) send(op string, params any) string {
	p.t.Helper()
	p.n++
	id := fmt.Sprint(p.n)
	if err := p.ws.WriteJSON(map[string]any{"id": id, "op": op, "params": params}); err != nil {
		p.t.Fatal(err)
	}
	return id
}

// reply reads until the reply to id, skipping events.
func (p *e2ePage) reply(id string) e2eMessage {
	p.t.Helper()
	for {
		m := p.read()
		if m.ID != nil && *m.ID == id {
			return m
		}
		if m.Event != "" {
			p.events = append(p.events, m)
		}
	}
}

func (p *e2ePage) ok(op string, params, v any) {
	p.t.Helper()
	m := p.reply(p.send(op, params))
	if m.Error != nil {
		p.t.Fatalf("%s: %s: %s", op, m.Error.Code, m.Error.Message)
	}
	if err := json.Unmarshal(m.Result, v); err != nil {
		p.t.Fatal(err)
	}
}

// waitEvent reads until event name for the test reader.
func (p *e2ePage) waitEvent(name, cardType string) {
	p.t.Helper()
	for {
		var m e2eMessage
		if len(p.events) > 0 {
			m, p.events = p.events[0], p.events[1:]
		} else {
			m = p.read()
		}
		if m.Event == name && strings.HasPrefix(m.Data.Reader, "reader-") { // the site's handle of the one reader that changes
			if m.Data.CardType != cardType {
				p.t.Errorf("%s: card type %q, want %q", name, m.Data.CardType, cardType)
			}
			return
		}
	}
}

// waitCardPresent polls status until the agent has seen the card.
func (p *e2ePage) waitCardPresent() {
	p.t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var st agent.StatusResult
		p.ok("status", nil, &st)
		for _, r := range st.Readers {
			if r.CardPresent { // one vpcd reader holds a card; sites see handles, not its name
				return
			}
		}
	}
	p.t.Fatal("the agent never reported the card")
}
