package nmhost

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/agent/ui"
)

const nmOrigin = "https://mijn.belgium.be"

// pinUI answers every PIN question with the fixture's PIN and records
// the origins it was shown.
type pinUI struct {
	mu      sync.Mutex
	origins []string
}

func (u *pinUI) Ask(_ context.Context, q ui.Question) ([]byte, error) {
	u.mu.Lock()
	u.origins = append(u.origins, q.Origin)
	u.mu.Unlock()
	if q.Kind == ui.KindPIN {
		return []byte("1234"), nil
	}
	return nil, nil
}

// nmAgent runs an agent over the virtual citizen-1.8 card with its relay
// key in a temporary directory; it returns the port, the key's path and
// the agent's log.
func nmAgent(t *testing.T, u ui.UI) (int, string, *agenttest.Buffer) {
	t.Helper()
	h, logs := webEIDAgent(t, "citizen-1.8", u)
	return h.ports[0], h.keyPath, logs
}

// browserPipe is the browser's side of a running host.
type browserPipe struct {
	t    *testing.T
	in   *io.PipeWriter // to the host's stdin
	out  *io.PipeReader // from the host's stdout
	done chan error     // serve's result
}

// startHost runs h in the eidbridge extension's dialect.
func startHost(t *testing.T, h host) *browserPipe { return startPipe(t, h.serve) }

// startPipe runs serve as the browser would start a host: its stdin and
// stdout are pipes the test holds the other ends of.
func startPipe(t *testing.T, serve func(context.Context, io.Reader, io.Writer) error) *browserPipe {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	b := &browserPipe{t: t, in: inW, out: outR, done: make(chan error, 1)}
	go func() { err := serve(context.Background(), inR, outW); outW.Close(); b.done <- err }()
	t.Cleanup(func() { inW.Close(); outR.Close() })
	return b
}

func (b *browserPipe) send(msg string) {
	b.t.Helper()
	go b.in.Write(frame(msg)) // the host may stop reading; never block the test
}

func (b *browserPipe) recv() map[string]any {
	b.t.Helper()
	msg, err := ReadFrame(b.out, MaxToBrowser)
	if err != nil {
		b.t.Fatalf("reading the host's message: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(msg, &m); err != nil {
		b.t.Fatalf("host message %q: %v", msg, err)
	}
	return m
}

// reply reads until the reply to id, skipping the agent's events.
func (b *browserPipe) reply(id string) map[string]any {
	b.t.Helper()
	for {
		if m := b.recv(); m["id"] == id {
			return m
		}
	}
}

func (b *browserPipe) result() error {
	select {
	case err := <-b.done:
		return err
	case <-time.After(10 * time.Second):
		b.t.Fatal("the host did not stop")
		return nil
	}
}

func status(m map[string]any) string {
	r, _ := m["relay"].(map[string]any)
	s, _ := r["status"].(string)
	return s
}

func TestNMHostRelaysWithTheBrowsersOrigin(t *testing.T) {
	u := &pinUI{}
	port, keyPath, _ := nmAgent(t, u)
	b := startHost(t, host{ports: []int{port}, keyPath: keyPath, log: slog.New(slog.DiscardHandler)})
	b.send(`{"origin":"` + nmOrigin + `"}`)
	if m := b.recv(); status(m) != "ready" {
		t.Fatalf("first message %v, want relay ready", m)
	}
	b.send(`{"id":"1","op":"authenticate","params":{"challengeNonce":"cGVyc29uYWwgY2hhbGxlbmdlIG5vbmNlIDMyIGJ5dGU="}}`)
	r := b.reply("1")
	tok, _ := r["result"].(map[string]any)
	if tok["format"] != "web-eid:1.0" || tok["algorithm"] != "ES384" {
		t.Fatalf("authenticate through the host: %v", r)
	}
	if u.origins[0] != nmOrigin {
		t.Errorf("the dialog showed %q, want %q", u.origins, nmOrigin)
	}
	b.send(`{"id":"2","op":"nope"}`) // the agent's own errors pass through
	if e, _ := b.reply("2")["error"].(map[string]any); e["code"] != "UNKNOWN_OPERATION" {
		t.Errorf("unknown op: %v", e)
	}
	b.in.Close() // the page went away
	if err := b.result(); err != nil {
		t.Errorf("serve after the browser closed: %v", err)
	}
}

// Not running is "unavailable"; an origin the agent refuses is "refused",
// which the extension remembers (the page sees the same for both).
func TestNMHostUnavailableOrRefused(t *testing.T) {
	port, keyPath, logs := nmAgent(t, &pinUI{})
	ln, _ := net.Listen("tcp4", "127.0.0.1:0")
	deadPort := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if _, err := agent.EnsureRelayKey(keyPath); err != nil { // as the first relay would
		t.Fatal(err)
	}
	otherKey := filepath.Join(t.TempDir(), agent.RelayKeyFile) // another user's agent, say
	for name, tc := range map[string]struct {
		ports  []int
		origin string
		key    string
		want   string
	}{
		"no agent":           {[]int{deadPort}, nmOrigin, keyPath, "unavailable"},
		"origin not allowed": {[]int{port}, "https://evil.example", keyPath, "refused"},
		"refused, then none": {[]int{port, deadPort}, "https://evil.example", keyPath, "refused"},
		"none, then refused": {[]int{deadPort, port}, "https://evil.example", keyPath, "refused"},
		"another key":        {[]int{port}, nmOrigin, otherKey, "unavailable"},
		// Only a relay that proved it holds the key hears the verdict.
		"not allowed, another key": {[]int{port}, "https://evil.example", otherKey, "unavailable"},
	} {
		b := startHost(t, host{ports: tc.ports, keyPath: tc.key, log: slog.New(slog.DiscardHandler)})
		b.send(`{"origin":"` + tc.origin + `"}`)
		if m := b.recv(); status(m) != tc.want || len(m) != 1 {
			t.Errorf("%s: %v, want only relay %s", name, m, tc.want)
		}
		if err := b.result(); err != nil {
			t.Errorf("%s: serve %v", name, err)
		}
	}
	if !strings.Contains(logs.String(), "relayed origin https://evil.example is not in the allowlist") {
		t.Errorf("the agent's log does not show the refusal:\n%s", logs.String())
	}
}

func TestNMHostStrictMessages(t *testing.T) {
	port, keyPath, _ := nmAgent(t, &pinUI{})
	h := host{ports: []int{port}, keyPath: keyPath, log: slog.New(slog.DiscardHandler)}
	for _, hello := range []string{`not json`, `{"origin":"https://MIJN.belgium.be"}`, `{"origin":"null"}`,
		`{"origin":"` + nmOrigin + `","extra":1}`, `{}`, `{"origin":"` + nmOrigin + `"} {}`, `["x"]`,
		`{"query":"nope"}`, `{"query":1}`, `{"query":"origins","origin":"` + nmOrigin + `"}`, `{"query":null}`} {
		b := startHost(t, h)
		b.send(hello)
		if err := b.result(); err == nil {
			t.Errorf("hello %s: accepted", hello)
		}
	}
	b := startHost(t, h)
	b.send(`{"origin":"` + nmOrigin + `"}`)
	b.recv()
	b.send(`[1,2]`)
	if err := b.result(); !errors.Is(err, errNotJSON) {
		t.Errorf("a non-object message: %v, want errNotJSON", err)
	}
}
