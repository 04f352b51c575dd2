package agent_test

import (
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// keypadCard is the virtual card in a keypad reader whose citizen types
// 1234, or presses Cancel when cancel is set.
type keypadCard struct {
	*virtualcard.Card
	cancel bool
}

func (k keypadCard) PINPadFeatures() (bool, bool) { return true, false }

func (k keypadCard) VerifyOnPINPad(_ eid.PINPadFormat, cmd apdu.Command) (apdu.Response, error) {
	if k.cancel {
		return apdu.Response{SW: eid.PINPadCancelled}, nil
	}
	cmd.Data = []byte{0x24, 0x12, 0x34, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	return apdu.Exchange(k.Card, cmd)
}

func (k keypadCard) ModifyOnPINPad(eid.PINPadFormat, apdu.Command) (apdu.Response, error) {
	return apdu.Response{}, errors.New("not used")
}

func TestPINPadReader(t *testing.T) {
	u := newScriptUI(answer{})
	e := start(t, "", u)
	e.cards.Insert(testReader, keypadCard{Card: loadCard(t, "citizen-1.7")})
	c := e.dial(testOrigin)
	var tok agent.AuthToken
	c.ok("authenticate", authParams, &tok)
	checkTokenStdlib(t, tok, testOrigin, testNonce, fixtureCert(t, "citizen-1.7", fileAuthCert))
	qs := u.questions()
	if len(qs) != 1 || !qs[0].PINPad || qs[0].Kind != ui.KindPIN || qs[0].TriesLeft != 3 {
		t.Errorf("questions %+v, want one pinpad notice", qs)
	}
}

func TestPINPadCancelledOnReader(t *testing.T) {
	e := start(t, "", newScriptUI(answer{}))
	e.cards.Insert(testReader, keypadCard{Card: loadCard(t, "citizen-1.8"), cancel: true})
	c := e.dial(testOrigin)
	c.fails("authenticate", authParams, agent.CodeUserCancelled)
}
