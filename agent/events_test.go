package agent_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
)

// nextEvent reads until an event arrives.
func (c *client) nextEvent() map[string]any {
	c.t.Helper()
	if len(c.events) > 0 {
		ev := c.events[0]
		c.events = c.events[1:]
		return ev
	}
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, msg, err := c.ws.ReadMessage()
	if err != nil {
		c.t.Fatalf("waiting for an event: %v", err)
	}
	var ev map[string]any
	if err := json.Unmarshal(msg, &ev); err != nil || ev["event"] == nil {
		c.t.Fatalf("want an event, got %s", msg)
	}
	return ev
}

func (c *client) wantEvent(name, reader, cardType string) {
	c.t.Helper()
	ev := c.nextEvent()
	data, _ := ev["data"].(map[string]any)
	typ, _ := data["cardType"].(string)
	if ev["event"] != name || data["reader"] != c.handle(reader) || typ != cardType {
		c.t.Fatalf("event %v, want %s reader %q (%q) cardType %q", ev, name, c.handle(reader), reader, cardType)
	}
}

// Every connection receives reader and card changes as they happen.
func TestEventsFanOut(t *testing.T) {
	e := start(t, "citizen-1.7", newScriptUI())
	a, b := e.dial(testOrigin), e.dial("https://www.fgov.be")
	e.cards.Remove(testReader)
	e.cards.Insert(testReader, loadCard(t, "citizen-1.8"))
	e.cards.AddReader("Second Reader")
	e.cards.RemoveReader("Second Reader")
	for _, c := range []*client{a, b} {
		c.wantEvent("cardRemoved", testReader, "")
		c.wantEvent("cardInserted", testReader, "beid")
		c.wantEvent("readerAdded", "Second Reader", "")
		c.wantEvent("readerRemoved", "Second Reader", "")
	}
}

func TestStatus(t *testing.T) {
	e := start(t, "citizen-1.8", newScriptUI())
	c := e.dial(testOrigin)
	e.cards.AddReader("Empty Reader")
	c.wantEvent("readerAdded", "Empty Reader", "")
	var st agent.StatusResult
	c.ok("status", nil, &st)
	want := c.seen(agent.StatusResult{Readers: []agent.ReaderStatus{{Name: "Empty Reader"},
		{Name: testReader, CardPresent: true, CardType: "beid"}}})
	if !reflect.DeepEqual(st, want) {
		t.Errorf("status %+v, want %+v", st.Readers, want)
	}
	e.cards.Remove(testReader)
	c.wantEvent("cardRemoved", testReader, "")
	st = agent.StatusResult{}
	c.ok("status", nil, &st)
	for _, r := range st.Readers {
		if r.CardPresent || r.CardType != "" {
			t.Errorf("after removal: %+v", r)
		}
	}
}

func TestVersion(t *testing.T) {
	e := start(t, "", newScriptUI())
	c := e.dial(testOrigin)
	var v agent.VersionResult
	c.ok("version", nil, &v)
	if v.AgentVersion != "1.2.3" || v.ProtocolVersion != "1" || len(v.Operations) != 7 || len(v.Events) != 4 {
		t.Errorf("version %+v", v)
	}
	c.fails("version", map[string]any{"x": 1}, agent.CodeInvalidRequest)
}

// PC/SC reader names can carry the reader's USB serial, the same for
// every site: sites get a handle of their own instead, and a card's
// applet generation only after consent (readIdentity).
func TestReaderNamesNeverReachSites(t *testing.T) {
	const serialReader = "Yubico YubiKey OTP+FIDO+CCID (0012345678) 00 00"
	e := start(t, "", newScriptUI())
	e.cards.AddReader(serialReader)
	e.cards.Insert(serialReader, loadCard(t, "citizen-1.8"))
	a, b := e.dial(testOrigin), e.dial("https://www.fgov.be")
	var sa, sb agent.StatusResult
	a.ok("status", nil, &sa)
	b.ok("status", nil, &sb)
	seenA, seenB := map[string]bool{}, map[string]bool{}
	for _, r := range sa.Readers {
		seenA[r.Name] = true
	}
	for _, r := range sb.Readers {
		seenB[r.Name] = true
		if seenA[r.Name] {
			t.Errorf("two sites share the reader handle %q", r.Name)
		}
	}
	raw, _ := json.Marshal([]any{sa, sb})
	if strings.Contains(string(raw), "0012345678") || strings.Contains(string(raw), "Yubico") ||
		strings.Contains(string(raw), "beid-1.8") {
		t.Errorf("status tells sites the reader's name or the card's applet: %s", raw)
	}
	if !seenA[a.handle(serialReader)] || len(sa.Readers) != 2 {
		t.Errorf("status %+v lacks the handle of the reader", sa)
	}
	e.cards.Remove(serialReader)
	a.wantEvent("cardRemoved", serialReader, "")
	b.wantEvent("cardRemoved", serialReader, "")
}
