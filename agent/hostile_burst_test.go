package agent_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
)

// floodTally is what a flooding page got back.
type floodTally struct {
	ok, limited, other int
	outOfOrder         string // first reply whose id was not the next one
	closed             error  // the agent closed the connection
	elapsed            time.Duration
}

// flood sends n version requests on c as fast as it can while reading
// the replies; done is closed when every reply came or the agent closed.
func flood(c *client, n int, firstReply chan<- struct{}) (*floodTally, chan struct{}) {
	tally, done := &floodTally{}, make(chan struct{})
	start := time.Now()
	go func() {
		for i := range n {
			if c.ws.WriteMessage(websocket.TextMessage, fmt.Appendf(nil, `{"id":"f%d","op":"version"}`, i)) != nil {
				return // the agent closed; the reader reports it
			}
		}
	}()
	go func() {
		defer close(done)
		defer func() { tally.elapsed = time.Since(start) }()
		for i := range n {
			c.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, msg, err := c.ws.ReadMessage()
			if err != nil {
				tally.closed = err
				return
			}
			if i == 0 {
				close(firstReply)
			}
			var r reply
			json.Unmarshal(msg, &r)
			switch {
			case r.ID == nil || *r.ID != fmt.Sprintf("f%d", i):
				if tally.outOfOrder == "" {
					tally.outOfOrder = string(msg)
				}
			case r.Error == nil:
				tally.ok++
			case r.Error.Code == agent.CodeRateLimited:
				tally.limited++
			default:
				tally.other++
			}
		}
	}()
	return tally, done
}

// A burst of 10,000 requests on one connection is answered RATE_LIMITED
// beyond the connection's budget, without flooding the log, while
// another page's requests keep their normal round trip.
func TestHostileBurst(t *testing.T) {
	const n = 10000
	e := start(t, "", newScriptUI(pin(hostilePIN), allow())) // default limits: 10/s, burst 20
	e.cards.Insert(testReader, cardWithPIN(t, "citizen-1.7", hostilePIN))
	bad, good := e.dial(testOrigin), e.dial("https://www.fgov.be")
	logLines := strings.Count(e.logs.String(), "\n")
	first := make(chan struct{})
	tally, done := flood(bad, n, first)
	select {
	case <-first:
	case <-done:
	}
	var rtts []time.Duration
	overlapped := 0
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		t0 := time.Now()
		var v agent.VersionResult
		good.ok("version", nil, &v) // fails the test on any error, RATE_LIMITED included
		rtts = append(rtts, time.Since(t0))
		if running {
			overlapped++
		}
		if len(rtts) > 600 {
			t.Fatal("the flood did not end within a minute")
		}
		pause := 110 * time.Millisecond // under the good page's own 10/s…
		if len(rtts) < 15 {
			pause = 5 * time.Millisecond // …after spending most of its burst of 20
		}
		time.Sleep(pause)
	}
	slices.Sort(rtts)
	t.Logf("flood of %d: %d served, %d RATE_LIMITED in %v; other page: %d round trips during it, median %v, max %v",
		n, tally.ok, tally.limited, tally.elapsed, overlapped, rtts[len(rtts)/2], rtts[len(rtts)-1])
	if overlapped == 0 {
		t.Error("no round trip of the other page overlapped the flood")
	}
	if rtts[len(rtts)-1] > 2*time.Second {
		t.Errorf("the other page waited %v for a reply during the flood", rtts[len(rtts)-1])
	}
	switch {
	case tally.closed != nil:
		t.Logf("the agent closed the flooding connection after %d replies: %v", tally.ok+tally.limited, tally.closed)
	case tally.outOfOrder != "" || tally.other != 0:
		t.Errorf("replies out of order or unexpected: %d unexpected, first stray %s", tally.other, tally.outOfOrder)
	case tally.ok+tally.limited != n:
		t.Errorf("%d replies for %d requests", tally.ok+tally.limited, n)
	}
	if budget := 20 + int(10*tally.elapsed.Seconds()) + 1; tally.ok > budget {
		t.Errorf("%d requests served in %v; the limit allows %d", tally.ok, tally.elapsed, budget)
	}
	if tally.limited == 0 && tally.closed == nil {
		t.Error("nothing was rate limited")
	}
	if added := strings.Count(e.logs.String(), "\n") - logLines; added > 50 {
		t.Errorf("the flood added %d log lines", added)
	}
	// The limit is a rate, not a ban: the budget refills.
	time.Sleep(150 * time.Millisecond)
	var v agent.VersionResult
	bad.ok("version", nil, &v)
	var tok agent.AuthToken
	good.ok("authenticate", authParams, &tok)
	var id agent.IdentityResult
	good.ok("readIdentity", map[string]any{"include": []string{"identity", "address"}}, &id)
	checkNoSecrets(t, e, "citizen-1.7", hostilePIN)
}

// A page that sends without ever reading its replies stops being read
// (its queue and socket fill up); the others are served normally, and
// the first event the stuck page cannot take disconnects it.
func TestHostileNeverReads(t *testing.T) {
	e := start(t, "citizen-1.8", newScriptUI())
	bad, good := e.dial(testOrigin), e.dial("https://www.fgov.be")
	var sent atomic.Int64
	stuck := make(chan error, 1)
	go func() {
		msg := []byte(`{"id":"` + strings.Repeat("x", agent.MaxIDLength) + `","op":"version"}`)
		for range 2_000_000 {
			bad.ws.SetWriteDeadline(time.Now().Add(time.Second))
			if err := bad.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
				stuck <- err
				return
			}
			sent.Add(1)
		}
		stuck <- nil
	}()
	var err error
	select {
	case err = <-stuck:
	case <-time.After(30 * time.Second):
		t.Fatal("the page was still writing after 30 s")
	}
	if err == nil {
		t.Fatalf("the agent read %d requests from a page that reads nothing", sent.Load())
	}
	t.Logf("the agent stopped reading the page after %d requests (%v)", sent.Load(), err)
	var v agent.VersionResult
	good.ok("version", nil, &v)
	// The stuck page's queue fills once the agent has answered what it
	// read (a while, under the race detector): from then on, the next
	// event disconnects it. Events go on until then.
	present := true
	toggle := func() {
		if present {
			e.cards.Remove(testReader)
			good.wantEvent("cardRemoved", testReader, "")
		} else {
			e.cards.Insert(testReader, e.card)
			good.wantEvent("cardInserted", testReader, "beid")
		}
		present = !present
	}
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(e.logs.String(), "does not read its messages"); {
		if time.Now().After(deadline) {
			t.Fatal("the stuck page was not disconnected when events could not be queued")
		}
		toggle()
		time.Sleep(50 * time.Millisecond)
	}
	toggle() // the others still get theirs
	checkNoSecrets(t, e, "citizen-1.8")
}
