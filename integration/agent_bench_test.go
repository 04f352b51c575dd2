package integration

import (
	"context"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/eid/virtualcard/vpcd"
	"github.com/eidbridge/eidbridge/pcsc"
)

// plugLoop inserts card into the test reader (its vpcd connection is
// made) and pulls it, b.N times; inserted and removed wait for the
// consumer to see each change. It reports the mean of each wait.
func plugLoop(b *testing.B, card *virtualcard.Card, inserted, removed func()) {
	var in, out time.Duration
	for b.Loop() {
		ctx, pull := context.WithCancel(context.Background())
		done := make(chan error, 1)
		t0 := time.Now()
		go func() { done <- vpcd.Serve(ctx, testAddr, card) }()
		inserted()
		t1 := time.Now()
		pull()
		if err := <-done; err != nil {
			b.Fatalf("vpcd: %v", err)
		}
		t2 := time.Now()
		removed()
		in, out = in+t1.Sub(t0), out+time.Since(t2)
	}
	b.ReportMetric(float64(in)/1e6/float64(b.N), "ms/inserted")
	b.ReportMetric(float64(out)/1e6/float64(b.N), "ms/removed")
}

// emptyReader fails unless the test reader is there and empty.
func emptyReader(b *testing.B, pc *pcsc.Context) {
	b.Helper()
	if err := probe(pc); err == nil {
		b.Fatalf("%q already holds a card: another process uses vpcd port %s", testReader, testAddr)
	}
}

// From a card's insertion in the vpcd reader to the agent's event on a
// page's websocket, through pcscd. Compare with BenchmarkWatchEventLatency,
// the same without the agent: pcscd's own reader polling dominates.
func BenchmarkAgentEventLatency(b *testing.B) {
	needPCSC(b)
	pc := newContext(b)
	emptyReader(b, pc)
	p := dialAgent(b, startAgent(b, pc))
	p.waitCardState(false)
	card := virtualcard.New(loadFixture(b, "citizen-1.8"))
	plugLoop(b, card, func() { p.waitEvent("cardInserted") }, func() { p.waitEvent("cardRemoved") })
}

// From a card's insertion in the vpcd reader to the pcsc watcher's event,
// through pcscd, without the agent.
func BenchmarkWatchEventLatency(b *testing.B) {
	needPCSC(b)
	pc := newContext(b)
	emptyReader(b, pc)
	ctx, cancel := context.WithCancel(context.Background())
	events := make(chan pcsc.Event, 64)
	watched := make(chan error, 1)
	go func() { watched <- pc.Watch(ctx, events) }()
	b.Cleanup(func() {
		cancel()
		<-watched
	})
	wait := func(kind pcsc.EventKind) func() {
		return func() { waitEvent(b, events, kind) }
	}
	card := virtualcard.New(loadFixture(b, "citizen-1.8"))
	plugLoop(b, card, wait(pcsc.CardInserted), wait(pcsc.CardRemoved))
}
