package agent_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
)

// memPoint is the process's memory and goroutines at one moment, after
// a full collection.
type memPoint struct {
	heap, stack uint64
	goroutines  int
}

func measureMem() memPoint {
	runtime.GC()
	runtime.GC() // the first one may leave finalised objects for the second
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memPoint{heap: ms.HeapInuse, stack: ms.StackInuse, goroutines: runtime.NumGoroutine()}
}

// idleCost is what each idle connection adds.
type idleCost struct {
	heapPerConn, stackPerConn, goroutinesPerConn float64
}

// openIdle opens n raw connections to the agent on port, each served once
// (so its goroutines exist), and measures what they added. The test's
// own sockets cost a few hundred bytes each and no goroutine.
func openIdle(tb testing.TB, port, n int) ([]*rawConn, idleCost) {
	tb.Helper()
	before := measureMem()
	conns := make([]*rawConn, 0, n)
	tb.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range n {
		conns = append(conns, rawOpen(tb, port, testOrigin))
	}
	after := measureMem()
	per := func(a, b uint64) float64 { return (float64(a) - float64(b)) / float64(n) }
	return conns, idleCost{
		heapPerConn:       per(after.heap, before.heap),
		stackPerConn:      per(after.stack, before.stack),
		goroutinesPerConn: float64(after.goroutines-before.goroutines) / float64(n),
	}
}

// 500 idle connections: each costs at most two goroutines (the read loop
// and the writer) and a few KiB, stays alive (an event reaches every one)
// and gives everything back when closed.
func TestHostileIdleConnections(t *testing.T) {
	const n = 500
	e := start(t, "citizen-1.8", newScriptUI(), func(o *agent.Options) { o.Limits.MaxPerOrigin = n + 1 })
	base := measureMem()
	conns, cost := openIdle(t, e.port, n)
	t.Logf("%d idle connections: heap %.0f B/conn, stacks %.0f B/conn, %.2f goroutines/conn",
		n, cost.heapPerConn, cost.stackPerConn, cost.goroutinesPerConn)
	if cost.goroutinesPerConn > 2 {
		t.Errorf("%.2f goroutines per idle connection, want at most 2", cost.goroutinesPerConn)
	}
	// A loose ceiling against a regression that would keep a 64 KiB
	// frame buffer (or worse) per connection; the measured cost is logged.
	if total := cost.heapPerConn + cost.stackPerConn; total > 48<<10 {
		t.Errorf("%.0f bytes per idle connection, want well under 48 KiB", total)
	}
	e.cards.Remove(testReader)
	for _, c := range conns {
		c.wantEvent(t, "cardRemoved")
	}
	// A page that is still there is served normally.
	d := e.dial(testOrigin)
	var st map[string]any
	d.ok("status", nil, &st)
	d.ws.Close()
	for _, c := range conns {
		c.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		now := measureMem()
		if now.goroutines <= base.goroutines+2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after closing every connection, %d before opening them", now.goroutines, base.goroutines)
		}
		time.Sleep(20 * time.Millisecond)
	}
	checkNoSecrets(t, e, "citizen-1.8")
}
