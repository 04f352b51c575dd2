package integration

import (
	"encoding/json"
	"testing"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// TestAgentAfterPCSCDRestart restarts pcscd under a running agent with a
// card in the reader and a page connected: the page sees the reader and
// card go and come back, and its next authentication works, without
// restarting the agent or reconnecting the page.
func TestAgentAfterPCSCDRestart(t *testing.T) {
	needRestart(t)
	pc := newContext(t)
	const name = "citizen-1.8"
	insert(t, pc, virtualcard.New(loadFixture(t, name)))
	p := dialAgent(t, startAgent(t, pc))
	p.waitCardState(true)
	var tok json.RawMessage
	p.ok("authenticate", map[string]any{"challengeNonce": agentNonce}, &tok)
	checkToken(t, name, tok)

	restartPCSCD(t)
	p.waitEvent("readerRemoved")
	p.waitEvent("readerAdded")
	p.waitEvent("cardInserted")
	tok = nil
	p.ok("authenticate", map[string]any{"challengeNonce": agentNonce}, &tok)
	checkToken(t, name, tok)
}
