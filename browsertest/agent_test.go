package browsertest

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

const reader = "Virtual Reader 0"

// agentEnv is an in-process agent over the virtual citizen-1.8 card, its
// dialogs answered by testdata/dialog.sh through the exec: UI.
type agentEnv struct {
	port      int
	cards     *agent.VirtualCards
	dialogDir string
	logs      *agenttest.Buffer
	audit     *agenttest.Buffer
}

// startAgent runs an agent over the virtual card in-process, allowing
// exactly origins; relayKey is the relay's key file ("" for the default).
func startAgent(t *testing.T, origins []string, relayKey string, tweaks ...func(*agent.Options)) *agentEnv {
	t.Helper()
	content, err := virtualcard.Load(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	cards := agent.NewVirtualCards()
	cards.AddReader(reader)
	cards.Insert(reader, virtualcard.New(content))
	a := serveAgent(t, cards, listen(t), origins, relayKey, tweaks...)
	a.cards = cards
	return a
}

// serveAgent runs an agent over cards on ln until the test ends.
func serveAgent(t *testing.T, cards agent.Cards, ln net.Listener, origins []string, relayKey string,
	tweaks ...func(*agent.Options)) *agentEnv {
	t.Helper()
	a := &agentEnv{dialogDir: t.TempDir(), logs: &agenttest.Buffer{}, audit: &agenttest.Buffer{},
		port: ln.Addr().(*net.TCPAddr).Port}
	a.answer("ok")
	script, err := filepath.Abs("testdata/dialog.sh")
	if err != nil {
		t.Fatal(err)
	}
	dialogs, err := ui.NewExec("/bin/sh " + script + " " + a.dialogDir)
	if err != nil {
		t.Fatal(err)
	}
	allow, err := agent.NewAllowlist(origins)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(a.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dialogs.Log = log
	opts := agent.Options{Cards: cards, UI: dialogs, Origins: allow, Logger: log,
		Audit: agent.NewAudit(a.audit), UserTimeout: 30 * time.Second, RelayKeyFile: relayKey, Version: "test"}
	for _, tw := range tweaks {
		tw(&opts)
	}
	s, err := agent.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("agent log:\n%s", a.logs.String())
		}
	})
	return a
}

// listen opens a loopback listener on a free port.
func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// answer sets how the next dialogs are answered: ok, hold or cancel
// (testdata/dialog.sh).
func (a *agentEnv) answer(s string) {
	os.WriteFile(filepath.Join(a.dialogDir, "answer"), []byte(s), 0o644)
}

// question is the last dialog shown, if any.
func (a *agentEnv) question() (ui.Question, bool) {
	var q ui.Question
	b, err := os.ReadFile(filepath.Join(a.dialogDir, "question.json"))
	return q, err == nil && json.Unmarshal(b, &q) == nil
}

// waitQuestion waits for a dialog to be shown.
func (a *agentEnv) waitQuestion(t *testing.T) ui.Question {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if q, ok := a.question(); ok {
			return q
		}
	}
	t.Fatal("no dialog was shown")
	return ui.Question{}
}

// deadPort is a loopback port nothing listens on.
func deadPort(t *testing.T) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func itoa(n int) string { return strconv.Itoa(n) }
