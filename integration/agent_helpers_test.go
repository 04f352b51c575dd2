package integration

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/pcsc"
	"github.com/eidbridge/eidbridge/verify"
)

// agentOrigin is the site the agent tests connect as.
const agentOrigin = "https://mijn.belgium.be"

// startAgent runs the agent in this process over pcscd, as `eidbridge
// run` does, until the test ends; it returns the agent's port.
func startAgent(tb testing.TB, pc *pcsc.Context) int {
	tb.Helper()
	allow, err := agent.NewAllowlist(agent.DefaultOrigins)
	if err != nil {
		tb.Fatal(err)
	}
	return agenttest.Start(tb, agent.Options{Cards: agent.NewPCSCCards(pc), UI: agenttest.PINUI{}, Origins: allow,
		UserTimeout: waitFor, Version: "test", ReaderKey: readerKey})
}

// readerKey makes the reader handles the tests expect: the site knows
// testReader as readerHandle.
var (
	readerKey    = []byte("integration tests: reader handles")
	readerHandle = agent.ReaderHandle(readerKey, agentOrigin, testReader)
)

// page is a website's connection to the agent.
type page struct {
	tb testing.TB
	ws *websocket.Conn
	n  int
}

func dialAgent(tb testing.TB, port int) *page {
	tb.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(fmt.Sprintf("ws://127.0.0.1:%d/v1", port),
		http.Header{"Origin": {agentOrigin}})
	if err != nil {
		tb.Fatalf("connecting to the agent: %v", err)
	}
	tb.Cleanup(func() { ws.Close() })
	return &page{tb: tb, ws: ws}
}

// message is a reply or an event.
type message struct {
	ID     *string         `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *agent.Error    `json:"error"`
	Event  string          `json:"event"`
	Data   struct {
		Reader string `json:"reader"`
	} `json:"data"`
}

func (p *page) read() message {
	p.tb.Helper()
	p.ws.SetReadDeadline(time.Now().Add(2 * waitFor))
	var m message
	if err := p.ws.ReadJSON(&m); err != nil {
		p.tb.Fatalf("reading from the agent: %v", err)
	}
	return m
}

// call sends a request and returns its reply, skipping events.
func (p *page) call(op string, params any) message {
	p.tb.Helper()
	p.n++
	id := fmt.Sprint(p.n)
	if err := p.ws.WriteJSON(map[string]any{"id": id, "op": op, "params": params}); err != nil {
		p.tb.Fatal(err)
	}
	for {
		if m := p.read(); m.ID != nil && *m.ID == id {
			return m
		}
	}
}

// ok calls op and decodes its result; an error reply fails the test.
func (p *page) ok(op string, params, v any) {
	p.tb.Helper()
	m := p.call(op, params)
	if m.Error != nil {
		p.tb.Fatalf("%s: %s: %s", op, m.Error.Code, m.Error.Message)
	}
	if err := json.Unmarshal(m.Result, v); err != nil {
		p.tb.Fatal(err)
	}
}

// waitEvent reads until event name for the test reader.
func (p *page) waitEvent(name string) {
	p.tb.Helper()
	for {
		if m := p.read(); m.Event == name && m.Data.Reader == readerHandle {
			return
		}
	}
}

// waitCardState polls status until the test reader is there, with a
// card or without: the initial events may have come before the page.
func (p *page) waitCardState(present bool) {
	p.tb.Helper()
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var st agent.StatusResult
		p.ok("status", nil, &st)
		for _, r := range st.Readers {
			if r.Name == readerHandle && r.CardPresent == present {
				return
			}
		}
	}
	p.tb.Fatalf("the agent never reported %q with card present=%v", testReader, present)
}

// agentNonce is 44 characters, like base64 of 32 random bytes.
const agentNonce = "aW50ZWdyYXRpb24gdGVzdCBub25jZSBvZiAzMiBieXQ="

// checkToken validates a token as a website would, with the fixture's
// test root and its card's CA certificate.
func checkToken(tb testing.TB, fixture string, tok json.RawMessage) {
	tb.Helper()
	content := loadFixture(tb, fixture)
	der, err := virtualcard.CertDER(content.Files["3F00DF00503A"])
	if err != nil {
		tb.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	inter := x509.NewCertPool()
	inter.AddCert(ca)
	v, err := verify.NewValidator(verify.Config{Origin: agentOrigin, Roots: fixtureRoots(tb, fixture), Intermediates: inter})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := v.Validate(tok, agentNonce); err != nil {
		tb.Fatalf("the token does not validate: %v", err)
	}
}
