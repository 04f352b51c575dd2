package agent_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// testOrigin is allowed by the default allowlist.
const testOrigin = "https://mijn.belgium.be"

// testNonce is 44 characters, like base64 of 32 random bytes.
const testNonce = "cGVyc29uYWwgY2hhbGxlbmdlIG5vbmNlIDMyIGJ5dGU="

const testReader = "Virtual Reader 0"

// testReaderKey makes the reader handles the tests expect.
var testReaderKey = []byte("eidbridge agent tests: reader handle key")

// env is a running agent over one virtual reader.
type env struct {
	t     *testing.T
	url   string
	port  int
	cards *agent.VirtualCards
	card  *virtualcard.Card
	ui    *scriptUI
	logs  *agenttest.Buffer
	audit *agenttest.Buffer
	stop  context.CancelFunc // shuts the agent down
	done  chan error         // Serve's result
}

// loadCard loads a fixture profile as a fresh in-process card.
func loadCard(t *testing.T, fixture string) *virtualcard.Card {
	t.Helper()
	content, err := virtualcard.Load("../eid/virtualcard/testdata/" + fixture)
	if err != nil {
		t.Fatal(err)
	}
	return virtualcard.New(content)
}

// setup is a tweak of the Options before the agent starts.
type setup func(*agent.Options)

// start runs an agent with fixture's card in testReader (no card when
// fixture is empty) and the scripted UI.
func start(t *testing.T, fixture string, u *scriptUI, tweaks ...setup) *env {
	t.Helper()
	e := &env{t: t, cards: agent.NewVirtualCards(), ui: u, logs: &agenttest.Buffer{}, audit: &agenttest.Buffer{}}
	e.cards.AddReader(testReader)
	if fixture != "" {
		e.card = loadCard(t, fixture)
		e.cards.Insert(testReader, e.card)
	}
	allow, err := agent.NewAllowlist(append(agent.DefaultOrigins, "http://127.0.0.1:8080"))
	if err != nil {
		t.Fatal(err)
	}
	opts := agent.Options{Cards: e.cards, UI: u, Origins: allow, Version: "1.2.3",
		Logger: slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Audit:  agent.NewAudit(e.audit), UserTimeout: 5 * time.Second, ReaderKey: testReaderKey}
	for _, tw := range tweaks {
		tw(&opts)
	}
	s, err := agent.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.port = ln.Addr().(*net.TCPAddr).Port
	e.url = fmt.Sprintf("ws://127.0.0.1:%d/v1", e.port)
	ctx, stop := context.WithCancel(context.Background())
	e.stop, e.done = stop, make(chan error, 1)
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	go func() { err := <-served; e.done <- err; close(e.done) }()
	t.Cleanup(func() {
		stop()
		if err := <-e.done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	e.waitInitialEvents()
	return e
}

// waitInitialEvents waits until the agent has pushed the reader (and card)
// present at start, so that no test connection receives those events
// unasked (a loaded machine can delay them past the first handshakes).
func (e *env) waitInitialEvents() {
	want := 1
	if e.card != nil {
		want = 2
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if strings.Count(e.logs.String(), `"msg":"card event"`) >= want {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("the agent did not take in the initial reader state within 5 s; log:\n%s", e.logs)
		}
	}
}

// TestMain runs the tests in a C locale, so the dialogs speak English
// (the fallback) unless a request gives its language.
func TestMain(m *testing.M) {
	os.Setenv("LC_ALL", "C")
	os.Exit(m.Run())
}
