package agent_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// hostilePIN is the card's PIN in these tests: distinctive, so that
// finding it in a log means it leaked.
const hostilePIN = "73914682"

// gateUI holds each question until the test answers it.
type gateUI struct {
	asked   chan ui.Question
	answers chan string // a PIN, or "" to allow
}

func newGateUI() *gateUI {
	return &gateUI{asked: make(chan ui.Question, 8), answers: make(chan string, 8)}
}

func (g *gateUI) Ask(ctx context.Context, q ui.Question) ([]byte, error) {
	g.asked <- q
	select {
	case a := <-g.answers:
		if a == "" {
			return nil, nil
		}
		return []byte(a), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *gateUI) question(t *testing.T) ui.Question {
	t.Helper()
	select {
	case q := <-g.asked:
		return q
	case <-time.After(5 * time.Second):
		t.Fatal("no dialog was shown")
	}
	return ui.Question{}
}

// cardWithPIN loads fixture with its PIN changed to pin.
func cardWithPIN(t *testing.T, fixture, pin string) *virtualcard.Card {
	t.Helper()
	content, err := virtualcard.Load("../eid/virtualcard/testdata/" + fixture)
	if err != nil {
		t.Fatal(err)
	}
	content.PIN = []byte(pin)
	return virtualcard.New(content)
}

// While the citizen's PIN dialog is open, neither the page that asked
// nor another one can answer it, by any field or operation name; the
// dialog stays open, no PIN try is spent, and the citizen's own answer
// completes the operation.
func TestHostileAnswerPendingDialog(t *testing.T) {
	gate := newGateUI()
	e := start(t, "", newScriptUI(), func(o *agent.Options) { o.UI = gate })
	e.cards.Insert(testReader, cardWithPIN(t, "citizen-1.7", hostilePIN))
	a, b := e.dial(testOrigin), e.dial("https://www.fgov.be")
	id := a.send("authenticate", authParams)
	if q := gate.question(t); q.Kind != ui.KindPIN || q.TriesLeft != 3 {
		t.Fatalf("question %+v", q)
	}
	for _, c := range []*client{a, b} {
		for _, msg := range []string{
			`{"id":"h1","op":"answer","params":{"id":"` + id + `","pin":"` + hostilePIN + `"}}`,
			`{"id":"h2","op":"pin","params":{"value":"` + hostilePIN + `"}}`,
			`{"id":"h3","op":"cancel","params":{"id":"` + id + `","pin":"` + hostilePIN + `"}}`,
			`{"id":"h4","op":"authenticate","pin":"` + hostilePIN + `","params":{"challengeNonce":"` + testNonce + `"}}`,
			`{"id":"h5","op":"confirm","params":{"id":"` + id + `"}}`,
			`{"id":"h6","op":"version","params":{"allow":true}}`,
			`{"id":"` + id + `","op":"status","params":{"Pin_Code":"` + hostilePIN + `"}}`,
		} {
			c.sendRaw(msg)
			if err := c.wantError(c.next(), shortMsg(msg), agent.CodeInvalidRequest); !strings.Contains(err.Message, "PIN") {
				t.Errorf("%s: message %q does not say why", shortMsg(msg), err.Message)
			}
		}
		c.sendRaw(`"` + hostilePIN + `"`) // a bare PIN
		c.wantError(c.next(), "bare PIN", agent.CodeInvalidRequest)
	}
	a.fails("authenticate", authParams, agent.CodeActionPending)
	b.fails("authenticate", authParams, agent.CodeBusy)
	select {
	case q := <-gate.asked:
		t.Fatalf("a second dialog was shown: %+v", q)
	default:
	}
	gate.answers <- hostilePIN // the citizen, in the agent's own dialog
	r := a.next()
	if r.ID == nil || *r.ID != id || r.Error != nil {
		t.Fatalf("authenticate: %+v", r)
	}
	// No try was spent by the page; the dialog lists what is read, once
	// each and in a fixed order, whatever the page's list.
	rid := a.send("readIdentity", map[string]any{"include": []string{"photo", "identity", "identity", "address", "photo"}})
	q := gate.question(t)
	if q.TriesLeft != 3 || !reflect.DeepEqual(q.Items, []string{"identity", "address", "photo"}) {
		t.Errorf("consent question %+v", q)
	}
	gate.answers <- ""
	if r := a.next(); r.ID == nil || *r.ID != rid || r.Error != nil {
		t.Fatalf("readIdentity: %+v", r)
	}
	checkNoSecrets(t, e, "citizen-1.7", hostilePIN)
}

// checkNoSecrets fails if the agent's log or audit log holds one of pins
// or an identity field of fixture's card. The chip serial is no secret:
// the audit log names cards by it on purpose.
func checkNoSecrets(t *testing.T, e *env, fixture string, pins ...string) {
	t.Helper()
	content, err := virtualcard.Load("../eid/virtualcard/testdata/" + fixture)
	if err != nil {
		t.Fatal(err)
	}
	id, err := eid.ParseIdentity(content.Files["3F00DF014031"])
	if err != nil {
		t.Fatal(err)
	}
	addr, err := eid.ParseAddress(content.Files["3F00DF014033"])
	if err != nil {
		t.Fatal(err)
	}
	secrets := append([]string{id.NationalNumber, id.Surname, id.GivenNames, id.CardNumber, id.BirthLocation,
		id.BirthDate.Raw, addr.StreetAndNumber}, pins...)
	for name, text := range map[string]string{"log": e.logs.String(), "audit log": e.audit.String()} {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("the %s holds %q", name, s)
			}
		}
	}
}
