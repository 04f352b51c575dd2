package agent_test

import (
	"encoding/json"
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
	if ev["event"] != name || data["reader"] != reader || typ != cardType {
		c.t.Fatalf("event %v, want %s reader %q cardType %q", ev, name, reader, cardType)
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
		c.wantEvent("cardInserted", testReader, "beid-1.8")
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
	want := []agent.ReaderStatus{{Name: "Empty Reader"}, {Name: testReader, CardPresent: true, CardType: "beid-1.8"}}
	if len(st.Readers) != 2 || st.Readers[0] != want[0] || st.Readers[1] != want[1] {
		t.Errorf("status %+v, want %+v", st.Readers, want)
	}
	e.cards.Remove(testReader)
	c.wantEvent("cardRemoved", testReader, "")
	st = agent.StatusResult{}
	c.ok("status", nil, &st)
	if st.Readers[1].CardPresent || st.Readers[1].CardType != "" {
		t.Errorf("after removal: %+v", st.Readers[1])
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
