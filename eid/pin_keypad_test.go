package eid_test

import (
	"crypto"
	"errors"
	"slices"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// fakePad is a keypad reader: a Transport that also implements
// eid.PINPad, "types" its digits into the template it is given, and
// records what it was asked.
type fakePad struct {
	eid.Transport
	verify, modify bool
	digits, next   string      // PINs typed on the keypad
	answer         apdu.Status // a reader status to return instead; 0: none
	calls          []padCall
}

type padCall struct {
	op  string
	f   eid.PINPadFormat
	cmd string
}

func (p *fakePad) PINPadFeatures() (bool, bool) { return p.verify, p.modify }

func (p *fakePad) VerifyOnPINPad(f eid.PINPadFormat, cmd apdu.Command) (apdu.Response, error) {
	return p.run("verify", f, cmd, p.digits)
}

func (p *fakePad) ModifyOnPINPad(f eid.PINPadFormat, cmd apdu.Command) (apdu.Response, error) {
	return p.run("modify", f, cmd, p.digits, p.next)
}

func (p *fakePad) run(op string, f eid.PINPadFormat, cmd apdu.Command, pins ...string) (apdu.Response, error) {
	p.calls = append(p.calls, padCall{op, f, cmd.String()})
	if p.answer != 0 {
		return apdu.Response{SW: p.answer}, nil
	}
	cmd.Data = append([]byte(nil), cmd.Data...)
	offsets := []byte{f.OffsetOld, f.OffsetNew}
	for i, pin := range pins {
		typeInto(cmd.Data[offsets[i]:], pin)
	}
	return p.Transport.Transmit(cmd)
}

// typeInto writes the length nibble and BCD digits as bmFormatString 89
// and bmPINLengthFormat 04 describe.
func typeInto(block []byte, pin string) {
	block[0] = block[0]&0xF0 | byte(len(pin))
	for i := range len(pin) {
		d := pin[i] - '0'
		if i%2 == 0 {
			block[1+i/2] = d<<4 | 0x0F
		} else {
			block[1+i/2] = block[1+i/2]&0xF0 | d
		}
	}
}

func openPadCard(t *testing.T, fixture string, pad *fakePad) *pinCard {
	t.Helper()
	vc, content := loadFixture(t, fixture)
	log := &cmdLog{}
	pad.Transport = eid.OverRaw(log.wrap(vc))
	card, err := eid.Open(pad, eid.RecognizeATR(vc.ATR()))
	if err != nil {
		t.Fatal(err)
	}
	return newPINCard(t, card, vc, content, log)
}

const (
	verifyTemplate = "00 20 00 01 08 20 FF FF FF FF FF FF FF"
	modifyTemplate = "00 24 00 01 10 20 FF FF FF FF FF FF FF 20 FF FF FF FF FF FF FF"
)

func TestPINPadVerifyAndChange(t *testing.T) {
	for _, name := range pinFixtures() {
		pad := &fakePad{verify: true, modify: true, digits: "1234", next: "97531"}
		pc := openPadCard(t, name, pad)
		p := promptPINs("0000") // must be ignored: the keypad is used
		if err := pc.card.VerifyPINWith(p.prompt); err != nil {
			t.Fatalf("%s: VerifyPINWith: %v", name, err)
		}
		if err := pc.card.ChangePINWith(p.prompt); err != nil {
			t.Fatalf("%s: ChangePINWith: %v", name, err)
		}
		want := []padCall{{"verify", eid.BelgianPINPadFormat, verifyTemplate}, {"modify", eid.BelgianPINPadFormat, modifyTemplate}}
		if !slices.Equal(pad.calls, want) {
			t.Errorf("%s: keypad calls %+v, want %+v", name, pad.calls, want)
		}
		wantReqs := []eid.PINRequest{
			{Purpose: eid.PurposeVerify, TriesLeft: 3, PINPad: true},
			{Purpose: eid.PurposeChange, TriesLeft: 3, PINPad: true},
		}
		if !slices.Equal(p.reqs, wantReqs) {
			t.Errorf("%s: prompts %+v, want %+v", name, p.reqs, wantReqs)
		}
		p.checkWiped(t)
		if string(pc.content.PIN) != "97531" || pc.content.PINTries != 3 {
			t.Errorf("%s: the keypad change did not reach the card", name)
		}
	}
}

func TestPINPadSignNonRep(t *testing.T) {
	for _, name := range pinFixtures() {
		pad := &fakePad{verify: true, digits: "1234"}
		pc := openPadCard(t, name, pad)
		s, err := pc.card.Signer(eid.KeySign, promptPINs("0000").prompt)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			pc.log.reset()
			digest := digestOf(crypto.SHA384, name)
			sig, err := s.Sign(nil, digest, crypto.SHA384)
			if err != nil {
				t.Fatalf("%s: Sign: %v", name, err)
			}
			if err := verifyWith(s.Public(), crypto.SHA384, digest, sig); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			// The second one prompts with the state the first VERIFY left.
			want := []string{"status", "mse", "verify", "pso", "getresp"}
			if i > 0 {
				want = want[1:]
			}
			if got := pc.log.steps(); !slices.Equal(got, want) {
				t.Errorf("%s signature %d: card saw %v, want %v", name, i, got, want)
			}
		}
		if len(pad.calls) != 2 || pad.calls[1].cmd != verifyTemplate {
			t.Errorf("%s: keypad calls %+v, want two VERIFY templates", name, pad.calls)
		}
	}
}

func TestPINPadReaderStatus(t *testing.T) {
	tests := map[apdu.Status]error{
		eid.PINPadTimeout:   eid.ErrPINPadTimeout,
		eid.PINPadCancelled: eid.ErrPINPadCancelled,
		eid.PINPadMismatch:  eid.ErrPINPadMismatch,
		eid.PINPadBadLength: eid.ErrPINPadLength,
	}
	for sw, want := range tests {
		pad := &fakePad{verify: true, modify: true, answer: sw}
		pc := openPadCard(t, "citizen-1.8", pad)
		if err := pc.card.VerifyPINWith(nil); !errors.Is(err, want) {
			t.Errorf("verify, reader %04X: %v, want %v", uint16(sw), err, want)
		}
		if err := pc.card.ChangePINWith(nil); !errors.Is(err, want) {
			t.Errorf("change, reader %04X: %v, want %v", uint16(sw), err, want)
		}
		if _, err := pc.card.Sign(eid.KeySign, crypto.SHA256, make([]byte, 32), nil); !errors.Is(err, want) {
			t.Errorf("sign, reader %04X: %v, want %v", uint16(sw), err, want)
		}
		if pc.log.count("pso") != 0 || pc.content.PINTries != 3 {
			t.Errorf("reader %04X: PSO sent or counter changed", uint16(sw))
		}
	}
}

// A wrong PIN typed on the keypad is the card's 63Cx, passed through.
func TestPINPadWrongPIN(t *testing.T) {
	pad := &fakePad{verify: true, digits: "5555"}
	pc := openPadCard(t, "citizen-1.7", pad)
	var wrong *eid.WrongPINError
	if err := pc.card.VerifyPINWith(nil); !errors.As(err, &wrong) || wrong.TriesLeft != 2 {
		t.Errorf("wrong keypad PIN: %v, want 2 tries left", err)
	}
}

// A reader without the verify feature falls back to the prompt.
func TestPINPadFeatureAbsent(t *testing.T) {
	pad := &fakePad{modify: true}
	pc := openPadCard(t, "citizen-1.7", pad)
	p := promptPINs("1234")
	if err := pc.card.VerifyPINWith(p.prompt); err != nil {
		t.Fatal(err)
	}
	if len(pad.calls) != 0 || len(p.reqs) != 1 || p.reqs[0].PINPad {
		t.Errorf("keypad calls %v, prompts %+v: want the prompt only", pad.calls, p.reqs)
	}
}
