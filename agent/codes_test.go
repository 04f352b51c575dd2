package agent_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
)

var authParams = map[string]any{"challengeNonce": testNonce}

func TestNoReaderNoCard(t *testing.T) {
	e := start(t, "", newScriptUI())
	c := e.dial(testOrigin)
	c.fails("authenticate", authParams, agent.CodeNoCard)
	e.cards.RemoveReader(testReader)
	c.wantEvent("readerRemoved", testReader, "")
	c.fails("readIdentity", map[string]any{"include": []string{"identity"}}, agent.CodeNoReader)
}

// foreignCard is a smart card that is not a Belgian eID.
type foreignCard struct{}

func (foreignCard) ATR() []byte                            { return []byte{0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F} }
func (foreignCard) TransmitRaw(cmd []byte) ([]byte, error) { return []byte{0x6D, 0x00}, nil }

func TestUnsupportedCard(t *testing.T) {
	e := start(t, "", newScriptUI(allow()))
	e.cards.Insert(testReader, foreignCard{})
	c := e.dial(testOrigin)
	c.fails("getSigningCertificate", nil, agent.CodeUnsupportedCard)
	var st agent.StatusResult
	c.ok("status", nil, &st)
	if st.Readers[0].CardType != "unknown" {
		t.Errorf("status %+v", st)
	}
}

// The card pulled while the dialog is open ends the dialog at once.
func TestCardRemovedDuringDialog(t *testing.T) {
	u := newScriptUI()
	e := start(t, "citizen-1.7", u)
	u.add(answer{hang: true, before: func() { e.cards.Remove(testReader) }})
	c := e.dial(testOrigin)
	c.fails("authenticate", authParams, agent.CodeCardRemoved)
	if !containsAll(e.audit.String(), `"outcome":"CARD_REMOVED"`) {
		t.Errorf("audit: %s", e.audit.String())
	}
}

// The card pulled in the middle of the signature's APDUs.
func TestCardRemovedMidOperation(t *testing.T) {
	u := newScriptUI()
	e := start(t, "citizen-1.8", u)
	u.add(answer{pin: "1234", before: func() { e.card.RemoveAfter(2) }})
	c := e.dial(testOrigin)
	c.fails("authenticate", authParams, agent.CodeCardRemoved)
}

func TestUserTimeout(t *testing.T) {
	e := start(t, "citizen-1.8", newScriptUI(hang()), func(o *agent.Options) { o.UserTimeout = 50 * time.Millisecond })
	c := e.dial(testOrigin)
	c.fails("readIdentity", map[string]any{"include": []string{"identity"}}, agent.CodeUserTimeout)
}

// cancel closes the dialog of the page's own request; a second card
// request meanwhile gets ACTION_PENDING on the same connection and BUSY
// on another.
func TestCancelPendingBusy(t *testing.T) {
	u := newScriptUI(hang())
	e := start(t, "citizen-1.7", u)
	a, b := e.dial(testOrigin), e.dial("https://www.fgov.be")
	id := a.send("authenticate", authParams)
	<-u.askedC                                                  // the dialog is up
	a.fails("sign", map[string]any{}, agent.CodeInvalidRequest) // params checked before admission
	a.fails("getSigningCertificate", nil, agent.CodeActionPending)
	b.fails("getSigningCertificate", nil, agent.CodeBusy)
	var st agent.StatusResult
	b.ok("status", nil, &st) // non-card operations still work
	var none agent.CancelResult
	b.ok("cancel", map[string]any{"id": id}, &none) // not b's request
	if none.Cancelled {
		t.Error("a connection cancelled another's request")
	}
	cid := a.send("cancel", map[string]any{"id": id})
	got := map[string]reply{}
	for range 2 {
		r := a.next()
		got[*r.ID] = r
	}
	if r := got[cid]; r.Error != nil || string(r.Result) != `{"cancelled":true}` {
		t.Errorf("cancel reply %+v %s", r.Error, r.Result)
	}
	a.wantError(got[id], "authenticate", agent.CodeUserCancelled)
	u.add(allow())
	var sc agent.SigningCertificateResult
	b.ok("getSigningCertificate", nil, &sc) // the card is free again
}

func TestRateLimited(t *testing.T) {
	var now atomicTime
	e := start(t, "", newScriptUI(), func(o *agent.Options) {
		o.Now = now.get
		o.Limits = agent.Limits{Rate: 1, Burst: 5}
	})
	c := e.dial(testOrigin)
	now.set(time.Now().Add(time.Hour)) // freeze the clock, with the bucket full
	for i := range 7 {
		r := c.call("version", nil)
		if limited := r.Error != nil && r.Error.Code == agent.CodeRateLimited; limited != (i >= 5) {
			t.Fatalf("request %d: %+v", i, r.Error)
		}
	}
	now.add(time.Second)
	var v agent.VersionResult
	c.ok("version", nil, &v)
	c.fails("version", nil, agent.CodeRateLimited)
	// Another connection has its own bucket.
	d := e.dial(testOrigin)
	d.ok("version", nil, &v)
}

// brokenCards fails in a way that means nothing to the page.
type brokenCards struct{ *agent.VirtualCards }

func (brokenCards) Open() (*agent.OpenCard, error) { return nil, errors.New("driver exploded") }

func TestInternal(t *testing.T) {
	e := start(t, "citizen-1.7", newScriptUI(allow()), func(o *agent.Options) {
		o.Cards = brokenCards{o.Cards.(*agent.VirtualCards)}
	})
	c := e.dial(testOrigin)
	m := c.fails("authenticate", authParams, agent.CodeInternal)
	if containsAll(m.Message, "exploded") {
		t.Error("internal detail leaked to the page")
	}
	if !containsAll(e.logs.String(), "driver exploded") {
		t.Error("internal detail missing from the log")
	}
}

// panicCard looks like an eID and panics when spoken to.
type panicCard struct{ atr []byte }

func (p panicCard) ATR() []byte                      { return p.atr }
func (panicCard) TransmitRaw([]byte) ([]byte, error) { panic("driver bug") }

// A panic in an operation is INTERNAL and does not leave the card locked.
func TestPanicIsInternal(t *testing.T) {
	e := start(t, "", newScriptUI(allow(), allow()))
	good := loadCard(t, "citizen-1.8")
	e.cards.Insert(testReader, panicCard{good.ATR()})
	c := e.dial(testOrigin)
	c.fails("getSigningCertificate", nil, agent.CodeInternal)
	e.cards.Remove(testReader)
	e.cards.Insert(testReader, good)
	c.waitReady(e.cards)
	var sc agent.SigningCertificateResult
	c.ok("getSigningCertificate", nil, &sc)
}

// docs/protocol.md is the contract the JavaScript client follows: it
// must document every code, operation and event the agent has.
func TestProtocolDocComplete(t *testing.T) {
	b, err := os.ReadFile("../docs/protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, code := range agent.Codes() {
		if !strings.Contains(doc, "| `"+string(code)+"` |") {
			t.Errorf("error code %s is not in the table of docs/protocol.md", code)
		}
	}
	e := start(t, "", newScriptUI())
	var v agent.VersionResult
	e.dial(testOrigin).ok("version", nil, &v)
	for _, op := range v.Operations {
		if !strings.Contains(doc, "### `"+op+"`") {
			t.Errorf("operation %s has no section in docs/protocol.md", op)
		}
	}
	for _, ev := range v.Events {
		if !strings.Contains(doc, "| `"+ev+"` |") {
			t.Errorf("event %s is not in docs/protocol.md", ev)
		}
	}
}
