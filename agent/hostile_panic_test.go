package agent_test

import (
	"testing"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
)

// A panic while handling one page's message ends that connection with
// 1011 and is logged; the agent goes on serving every other page.
func TestHostilePanicInReadLoop(t *testing.T) {
	t.Cleanup(agent.AddPanickingOperationForTest("explode"))
	e := start(t, "citizen-1.8", newScriptUI())
	victim, other := e.dial(testOrigin), e.dial(testOrigin)
	victim.send("explode", nil)
	_, _, err := victim.ws.ReadMessage()
	if !websocket.IsCloseError(err, websocket.CloseInternalServerErr) {
		t.Errorf("the panicking connection ended with %v, want close 1011", err)
	}
	var v agent.VersionResult
	other.ok("version", nil, &v)
	e.dial(testOrigin).ok("version", nil, &v)
	if !containsAll(e.logs.String(), "handling a message panicked", "a bug in explode") {
		t.Errorf("the panic is not logged:\n%s", e.logs)
	}
}
