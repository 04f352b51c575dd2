//go:build cgo

package browsertest

import (
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/pcsc"
)

// A Web eID page logs in and signs through our extension, the agent and
// the virtual card in pcscd's vpcd reader: the whole card stack, PIN and
// all, as a citizen's reader would be used.
func TestWebEIDThroughPCSC(t *testing.T) {
	needPCSC(t)
	needChromium(t)
	pc, err := pcsc.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() }) // after the agent, which uses it
	s := &webeidScenario{t: t, site: startWebEIDSite(t)}
	home := newHome(t)
	s.agent = serveAgent(t, agent.NewPCSCCards(pc), listen(t), []string{s.site.origin()}, home.relayKey())
	plugCard(t, pc)
	s.b = newBrowser(t, webeidBrowser(t, home, s.agent.port, false))
	s.open("127.0.0.1")
	s.login("nl")
	s.signDocument("en")
}
