//go:build cgo

// The agent reaches real readers through PC/SC (cgo); without cgo the
// rest of the tests still run.

package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// pinUI answers every dialog as a citizen would: consent, and the PIN.
type pinUI struct{ asked atomic.Int32 }

func (u *pinUI) Ask(_ context.Context, q ui.Question) ([]byte, error) {
	u.asked.Add(1)
	if q.Kind == ui.KindPIN {
		return []byte("1234"), nil
	}
	return nil, nil
}

// startAgent runs the real agent in-process with fixture's virtual card,
// allowing origin; it returns the websocket URL.
func startAgent(t *testing.T, fixture, origin string, u ui.UI) string {
	t.Helper()
	content, err := virtualcard.Load("../eid/virtualcard/testdata/" + fixture)
	if err != nil {
		t.Fatal(err)
	}
	cards := agent.NewVirtualCards()
	cards.AddReader("Test Reader 0")
	cards.Insert("Test Reader 0", virtualcard.New(content))
	allow, err := agent.NewAllowlist([]string{origin})
	if err != nil {
		t.Fatal(err)
	}
	port := agenttest.Start(t, agent.Options{Cards: cards, UI: u, Origins: allow, Version: "test", UserTimeout: 5 * time.Second})
	return fmt.Sprintf("ws://127.0.0.1:%d/v1", port)
}

// agentCalls does what static/request.js does: one connection, the calls
// in order, events (no id) skipped; it returns each call's raw result.
func agentCalls(t testing.TB, url, origin string, calls ...map[string]any) []json.RawMessage {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial(url, http.Header{"Origin": {origin}})
	if err != nil {
		t.Fatalf("dial agent: %v", err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	var results []json.RawMessage
	for i, c := range calls {
		id := strconv.Itoa(i + 1)
		c["id"] = id
		if err := conn.WriteJSON(c); err != nil {
			t.Fatal(err)
		}
		for {
			var m struct {
				ID     *string         `json:"id"`
				Result json.RawMessage `json:"result"`
				Error  *agent.Error    `json:"error"`
			}
			if err := conn.ReadJSON(&m); err != nil {
				t.Fatalf("agent %s: %v", c["op"], err)
			}
			if m.ID == nil || *m.ID != id {
				continue
			}
			if m.Error != nil {
				t.Fatalf("agent %s: %v", c["op"], m.Error)
			}
			results = append(results, m.Result)
			break
		}
	}
	return results
}

// verifyThroughAgent does what the request page's button does with the
// agent at ws: a challenge, authenticate and readIdentity, then the
// portal's verification, whose answer it returns.
func (b *browser) verifyThroughAgent(ws string) (resp, map[string]string) {
	b.t.Helper()
	csrf, nonce := b.challenge()
	res := agentCalls(b.t, ws, b.e.srv.URL,
		map[string]any{"op": "authenticate", "params": map[string]string{"challengeNonce": nonce}},
		map[string]any{"op": "readIdentity", "params": map[string][]string{"include": {"identity", "address"}}})
	var id struct {
		Files json.RawMessage `json:"files"`
	}
	if err := json.Unmarshal(res[1], &id); err != nil {
		b.t.Fatal(err)
	}
	return b.postJSON("/request/verify", csrf, map[string]any{"nonce": nonce, "token": res[0], "identity": id.Files})
}

// TestOnlineRequestThroughAgent runs the online request with the real
// agent and virtual card in place of the browser's script.
func TestOnlineRequestThroughAgent(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	u := &pinUI{}
	ws := startAgent(t, "citizen-1.8", e.srv.URL, u)
	b := e.browser()
	r, m := b.verifyThroughAgent(ws)
	if r.status != 200 || m["next"] != "/request/account" {
		t.Fatalf("verify: %d %v", r.status, m)
	}
	if u.asked.Load() == 0 {
		t.Error("the agent asked the citizen nothing")
	}
	r = b.submit("/request/account", "/request/account", map[string][]string{"username": {user1},
		"password": {pass1}, "password2": {pass1}, "email": {mail1}})
	if r.path != "/request/sent" {
		t.Fatalf("account: %d %s", r.status, r.path)
	}
	codes := e.last().codes(t)
	if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login: %s", r.path)
	}
}
