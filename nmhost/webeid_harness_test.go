package nmhost

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// The browser's side of the Web eID extension, played by the tests.

const fixtures = "../eid/virtualcard/testdata/"

// citizen answers the agent's questions as a script says and records them.
type citizen struct {
	mu     sync.Mutex
	asked  []ui.Question
	answer func(context.Context, ui.Question) ([]byte, error)
}

func (c *citizen) Ask(ctx context.Context, q ui.Question) ([]byte, error) {
	c.mu.Lock()
	c.asked = append(c.asked, q)
	c.mu.Unlock()
	return c.answer(ctx, q)
}

func (c *citizen) questions() []ui.Question {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]ui.Question(nil), c.asked...)
}

// agrees types the fixtures' PIN and says yes to everything else.
func agrees() *citizen {
	return &citizen{answer: func(_ context.Context, q ui.Question) ([]byte, error) {
		if q.Kind == ui.KindPIN {
			return []byte("1234"), nil
		}
		return nil, nil
	}}
}

// webEIDAgent runs an agent over fixture's card (an empty reader when
// fixture is ""), and returns a host that reaches it as the Web eID
// extension's would, with the agent's log.
func webEIDAgent(t *testing.T, fixture string, u ui.UI, tweaks ...func(*agent.Options)) (host, *agenttest.Buffer) {
	t.Helper()
	cards := agent.NewVirtualCards()
	cards.AddReader("R")
	if fixture != "" {
		content, err := virtualcard.Load(fixtures + fixture)
		if err != nil {
			t.Fatal(err)
		}
		cards.Insert("R", virtualcard.New(content))
	}
	allow, _ := agent.NewAllowlist(agent.DefaultOrigins)
	keyPath := filepath.Join(t.TempDir(), agent.RelayKeyFile)
	logs := &agenttest.Buffer{}
	opts := agent.Options{Cards: cards, UI: u, Origins: allow, RelayKeyFile: keyPath, Version: "1.2.3",
		UserTimeout: 5 * time.Second, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	for _, tw := range tweaks {
		tw(&opts)
	}
	port := agenttest.Start(t, opts)
	return host{ports: []int{port}, keyPath: keyPath, version: "1.2.3", log: slog.New(slog.DiscardHandler)}, logs
}

// deadPort is a loopback port where nothing listens.
func deadPort(t *testing.T) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// webEIDRun starts h as the extension does, checks the version comes
// first and within the extension's 5 seconds, sends cmd and returns the
// one answer; the host must then end.
func webEIDRun(t *testing.T, h host, cmd string) map[string]any {
	t.Helper()
	b := startPipe(t, h.serveWebEID)
	checkVersion(t, b)
	b.send(cmd)
	m := b.recv()
	if err := b.result(); err != nil {
		t.Errorf("the host after its answer: %v", err)
	}
	return m
}

// checkVersion reads the host's first message within 5 seconds: the
// version, with major 2 as the extension requires.
func checkVersion(t *testing.T, b *browserPipe) {
	t.Helper()
	got := make(chan []byte, 1)
	go func() { msg, _ := ReadFrame(b.out, MaxToBrowser); got <- msg }()
	select {
	case msg := <-got:
		var m map[string]any
		if json.Unmarshal(msg, &m) != nil || len(m) != 1 || m["version"] != WebEIDVersion("1.2.3") {
			t.Fatalf("first message %q, want the version %s", msg, WebEIDVersion("1.2.3"))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no version within the extension's 5 seconds")
	}
}

// command is a Web eID command as the extension writes it.
func command(name string, args map[string]any) string {
	b, _ := json.Marshal(map[string]any{"command": name, "arguments": args})
	return string(b)
}

// errorOf returns the answer's error code and message, "" when none.
func errorOf(m map[string]any) (string, string) {
	e, _ := m["error"].(map[string]any)
	code, _ := e["code"].(string)
	msg, _ := e["message"].(string)
	return code, msg
}

// fixtureCert is a certificate file of a fixture card, as DER.
func fixtureCert(t *testing.T, fixture, file string) []byte {
	t.Helper()
	content, err := virtualcard.Load(fixtures + fixture)
	if err != nil {
		t.Fatal(err)
	}
	der, err := virtualcard.CertDER(content.Files[file])
	if err != nil || der == nil {
		t.Fatalf("%s %s: no certificate (%v)", fixture, file, err)
	}
	return der
}

// fixturePKI is what a site trusts for a fixture card: its test root and CA.
func fixturePKI(t *testing.T, fixture string) (roots, inter *x509.CertPool) {
	t.Helper()
	b, err := os.ReadFile(fixtures + fixture + "/root-ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	root, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(fixtureCert(t, fixture, "3F00DF00503A"))
	if err != nil {
		t.Fatal(err)
	}
	roots, inter = x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(root)
	inter.AddCert(ca)
	return roots, inter
}
