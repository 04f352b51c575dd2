package agent_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
)

// dial connects with origin; it fails the test if the handshake fails.
func (e *env) dial(origin string) *client {
	e.t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(e.url, http.Header{"Origin": {origin}})
	if err != nil {
		e.t.Fatalf("dial with origin %q: %v (response %v)", origin, err, resp)
	}
	e.t.Cleanup(func() { ws.Close() })
	o, err := agent.ParseOrigin(origin)
	if err != nil {
		e.t.Fatal(err)
	}
	c := &client{t: e.t, ws: ws, origin: o.String()}
	c.waitReady(e.cards)
	return c
}

// client is a page's connection.
type client struct {
	t      *testing.T
	ws     *websocket.Conn
	origin string // canonical
	n      int
	events []map[string]any
}

// reply is a decoded reply.
type reply struct {
	ID     *string         `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *agent.Error    `json:"error"`
}

// waitReady waits until the agent's status is the virtual readers' real
// state, so that status and events are deterministic.
func (c *client) waitReady(cards *agent.VirtualCards) {
	c.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var st agent.StatusResult
		r := c.call("status", nil)
		if r.Error == nil && json.Unmarshal(r.Result, &st) == nil && reflect.DeepEqual(st, c.seen(cards.Status())) {
			c.events = nil // the initial state's events, seen while waiting
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.t.Fatal("the agent's status never matched the virtual readers")
}

// seen is st as this client's site sees it: each reader by its handle.
func (c *client) seen(st agent.StatusResult) agent.StatusResult {
	for i := range st.Readers {
		st.Readers[i].Name = c.handle(st.Readers[i].Name)
	}
	slices.SortFunc(st.Readers, func(a, b agent.ReaderStatus) int { return strings.Compare(a.Name, b.Name) })
	return st
}

// handle is the name this client's site knows reader by.
func (c *client) handle(reader string) string {
	return agent.ReaderHandle(testReaderKey, c.origin, reader)
}

// send writes a request and returns its id.
func (c *client) send(op string, params any) string {
	c.t.Helper()
	c.n++
	id := fmt.Sprintf("r%d", c.n)
	req := map[string]any{"id": id, "op": op}
	if params != nil {
		req["params"] = params
	}
	if err := c.ws.WriteJSON(req); err != nil {
		c.t.Fatal(err)
	}
	return id
}

// sendRaw writes a text frame as is.
func (c *client) sendRaw(msg string) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		c.t.Fatal(err)
	}
}

// next reads the next reply, keeping events aside.
func (c *client) next() reply {
	c.t.Helper()
	for {
		c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, msg, err := c.ws.ReadMessage()
		if err != nil {
			c.t.Fatalf("reading a reply: %v", err)
		}
		var probe map[string]any
		if err := json.Unmarshal(msg, &probe); err != nil {
			c.t.Fatalf("reply is not JSON: %q", msg)
		}
		if _, ok := probe["event"]; ok {
			c.events = append(c.events, probe)
			continue
		}
		var r reply
		if err := json.Unmarshal(msg, &r); err != nil {
			c.t.Fatal(err)
		}
		return r
	}
}

// call sends a request and reads its reply.
func (c *client) call(op string, params any) reply {
	c.t.Helper()
	id := c.send(op, params)
	r := c.next()
	if r.ID == nil || *r.ID != id {
		c.t.Fatalf("%s: reply for id %v, want %q", op, r.ID, id)
	}
	return r
}

// ok calls op and decodes its result into v; it fails on an error reply.
func (c *client) ok(op string, params, v any) {
	c.t.Helper()
	r := c.call(op, params)
	if r.Error != nil {
		c.t.Fatalf("%s: error %s: %s", op, r.Error.Code, r.Error.Message)
	}
	if err := json.Unmarshal(r.Result, v); err != nil {
		c.t.Fatalf("%s: result %s: %v", op, r.Result, err)
	}
}

// fails calls op and checks the error code.
func (c *client) fails(op string, params any, code agent.Code) *agent.Error {
	c.t.Helper()
	r := c.call(op, params)
	return c.wantError(r, op, code)
}

func (c *client) wantError(r reply, op string, code agent.Code) *agent.Error {
	c.t.Helper()
	if r.Error == nil {
		c.t.Fatalf("%s: got result %s, want error %s", op, r.Result, code)
	}
	if r.Error.Code != code {
		c.t.Fatalf("%s: got error %s (%s), want %s", op, r.Error.Code, r.Error.Message, code)
	}
	if r.Error.Message == "" || strings.Contains(r.Error.Message, "%!") {
		c.t.Errorf("%s: bad message %q", op, r.Error.Message)
	}
	return r.Error
}

// raw sends req (its id added) as it is and returns the reply.
func (c *client) raw(req map[string]any) reply {
	c.t.Helper()
	c.n++
	id := fmt.Sprintf("r%d", c.n)
	req["id"] = id
	if err := c.ws.WriteJSON(req); err != nil {
		c.t.Fatal(err)
	}
	r := c.next()
	if r.ID == nil || *r.ID != id {
		c.t.Fatalf("reply for id %v, want %q", r.ID, id)
	}
	return r
}
