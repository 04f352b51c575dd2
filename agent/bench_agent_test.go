package agent_test

import (
	"crypto"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// benchFixtures are the cards the benchmarks run on.
var benchFixtures = []string{"citizen-1.7", "citizen-1.8"}

// countingCard counts the APDUs that reach the virtual card.
type countingCard struct {
	*virtualcard.Card
	apdus atomic.Int64
}

func (c *countingCard) TransmitRaw(cmd []byte) ([]byte, error) {
	c.apdus.Add(1)
	return c.Card.TransmitRaw(cmd)
}

func benchCard(tb testing.TB, fixture string) *countingCard {
	tb.Helper()
	content, err := virtualcard.Load("../eid/virtualcard/testdata/" + fixture)
	if err != nil {
		tb.Fatal(err)
	}
	return &countingCard{Card: virtualcard.New(content)}
}

// serveBench runs an agent over cards as production would (logs at info
// to nowhere, an audit log to nowhere), with limits that let a benchmark
// send as fast as it can; it returns the agent's port.
func serveBench(tb testing.TB, cards agent.Cards, u ui.UI) int {
	tb.Helper()
	allow, err := agent.NewAllowlist(agent.DefaultOrigins)
	if err != nil {
		tb.Fatal(err)
	}
	return agenttest.Start(tb, agent.Options{Cards: cards, UI: u, Origins: allow, Version: "1.2.3",
		Audit: agent.NewAudit(io.Discard), Limits: agent.Limits{Rate: 1e9, Burst: 1e9}})
}

// benchClient is a page's connection for benchmarks.
type benchClient struct {
	tb testing.TB
	ws *websocket.Conn
}

func dialBench(tb testing.TB, port int) *benchClient {
	tb.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws://127.0.0.1:%d/v1", port),
		map[string][]string{"Origin": {testOrigin}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ws.Close() })
	return &benchClient{tb: tb, ws: ws}
}

// call sends one request and reads messages until its reply, which must
// not be an error.
func (c *benchClient) call(op string, params any) json.RawMessage {
	if err := c.ws.WriteJSON(map[string]any{"id": "b", "op": op, "params": params}); err != nil {
		c.tb.Fatal(err)
	}
	for {
		var r reply
		if err := c.ws.ReadJSON(&r); err != nil {
			c.tb.Fatal(err)
		}
		if r.ID == nil {
			continue // an event
		}
		if r.Error != nil {
			c.tb.Fatalf("%s: %s: %s", op, r.Error.Code, r.Error.Message)
		}
		return r.Result
	}
}

// The whole round trip of a warm authenticate (the PIN verified earlier
// in the card session, so the citizen is asked consent): websocket,
// request checks, dialog, card, token, audit. Compare with
// BenchmarkCardSignDirect, the same card calls without the agent.
func BenchmarkAuthenticateViaAgent(b *testing.B) {
	for _, fixture := range benchFixtures {
		b.Run(fixture, func(b *testing.B) {
			card := benchCard(b, fixture)
			cards := agent.NewVirtualCards()
			cards.AddReader(testReader)
			cards.Insert(testReader, card)
			c := dialBench(b, serveBench(b, cards, agenttest.PINUI{}))
			c.call("authenticate", authParams) // verifies the PIN: warm from here on
			card.apdus.Store(0)
			b.ResetTimer()
			for b.Loop() {
				c.call("authenticate", authParams)
			}
			b.ReportMetric(float64(card.apdus.Load())/float64(b.N), "apdus/op")
		})
	}
}

// The card's own time for what authenticate asks of it: open (GET CARD
// DATA), the authentication certificate, the PIN status and the
// signature of H(H(origin) ‖ H(nonce)).
func BenchmarkCardSignDirect(b *testing.B) {
	for _, fixture := range benchFixtures {
		b.Run(fixture, func(b *testing.B) {
			card := benchCard(b, fixture)
			prompt := func(eid.PINRequest) ([]byte, error) { return []byte("1234"), nil }
			directAuthenticate(b, card, prompt) // verifies the PIN
			card.apdus.Store(0)
			b.ResetTimer()
			for b.Loop() {
				directAuthenticate(b, card, prompt)
			}
			b.ReportMetric(float64(card.apdus.Load())/float64(b.N), "apdus/op")
		})
	}
}

func directAuthenticate(b *testing.B, card *countingCard, prompt eid.PINPrompt) {
	c, err := eid.Open(eid.OverRaw(card), eid.RecognizeATR(card.ATR()))
	if err != nil {
		b.Fatal(err)
	}
	signer, err := c.Signer(eid.KeyAuth, nil)
	if err != nil {
		b.Fatal(err)
	}
	hash := crypto.SHA384
	if _, ok := signer.Public().(*rsa.PublicKey); ok {
		hash = crypto.SHA256
	}
	if _, err := c.PINStatus(); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Sign(eid.KeyAuth, hash, agent.TokenDigest(hash, testOrigin, testNonce), prompt); err != nil {
		b.Fatal(err)
	}
}

// From a card's insertion (and removal) in the in-process reader to the
// event on a page's websocket; ns/op covers one insertion and one removal.
func BenchmarkEventLatency(b *testing.B) {
	card := benchCard(b, "citizen-1.8")
	cards := agent.NewVirtualCards()
	cards.AddReader(testReader)
	c := dialBench(b, serveBench(b, cards, agenttest.PINUI{}))
	wait := func(name string) {
		for {
			var ev struct{ Event string }
			if err := c.ws.ReadJSON(&ev); err != nil {
				b.Fatal(err)
			}
			if ev.Event == name {
				return
			}
		}
	}
	for { // until the agent knows the reader: its event may have come before the page
		var st agent.StatusResult
		if json.Unmarshal(c.call("status", nil), &st) == nil && len(st.Readers) == 1 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	var in, out time.Duration
	for b.Loop() {
		t0 := time.Now()
		cards.Insert(testReader, card)
		wait(agent.EventCardInserted)
		t1 := time.Now()
		cards.Remove(testReader)
		wait(agent.EventCardRemoved)
		in, out = in+t1.Sub(t0), out+time.Since(t1)
	}
	b.ReportMetric(float64(in.Nanoseconds())/float64(b.N), "ns/inserted")
	b.ReportMetric(float64(out.Nanoseconds())/float64(b.N), "ns/removed")
}

// What 500 idle connections cost the agent, per connection.
func BenchmarkIdleConnections(b *testing.B) {
	const n = 500
	cards := agent.NewVirtualCards()
	port := serveBench(b, cards, agenttest.PINUI{})
	rawOpen(b, port, testOrigin).Close() // the agent is up: its own goroutines run
	base := settledGoroutines()
	var sum idleCost
	for b.Loop() {
		conns, cost := openIdle(b, port, n)
		for _, c := range conns {
			c.Close()
		}
		for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > base; {
			if time.Now().After(deadline) {
				b.Fatalf("%d goroutines after closing the connections, %d before", runtime.NumGoroutine(), base)
			}
			time.Sleep(10 * time.Millisecond) // the next round starts from the same state
		}
		sum.heapPerConn += cost.heapPerConn
		sum.stackPerConn += cost.stackPerConn
		sum.goroutinesPerConn += cost.goroutinesPerConn
	}
	b.ReportMetric(sum.heapPerConn/float64(b.N), "heap-B/conn")
	b.ReportMetric(sum.stackPerConn/float64(b.N), "stack-B/conn")
	b.ReportMetric(sum.goroutinesPerConn/float64(b.N), "goroutines/conn")
}

// settledGoroutines waits until the goroutine count stays the same for
// a few samples (those of a closed connection take a moment to end).
func settledGoroutines() int {
	n, same := runtime.NumGoroutine(), 0
	for deadline := time.Now().Add(2 * time.Second); same < 5 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		if m := runtime.NumGoroutine(); m == n {
			same++
		} else {
			n, same = m, 0
		}
	}
	return n
}
