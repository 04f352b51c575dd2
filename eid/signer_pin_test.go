package eid_test

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// The authentication key asks the PIN once per card session; the
// non-repudiation key before every signature, in the order MSE:SET(83) →
// VERIFY → PSO. After Signer read the certificate DF00 is current, so no
// SELECT is sent; the PIN state learned by a signature serves the prompt
// of the next one for a moment, so only the first one asks the status.
func TestSignPINRules(t *testing.T) {
	first := []string{"status", "mse", "verify", "pso", "getresp"}
	for _, name := range pinFixtures() {
		for _, tt := range []struct {
			role      eid.KeyRole
			prompts   int
			laterRuns []string
		}{
			{eid.KeyAuth, 1, []string{"mse", "pso", "getresp"}},
			{eid.KeySign, 3, []string{"mse", "verify", "pso", "getresp"}},
		} {
			eid.UseFakeClock(t)
			pc := openPINCard(t, name)
			p := promptPINs("1234")
			s, err := pc.card.Signer(tt.role, p.prompt)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				pc.log.reset()
				digest := digestOf(crypto.SHA256, fmt.Sprint("x", i))
				sig, err := s.Sign(nil, digest, crypto.SHA256)
				if err != nil {
					t.Fatalf("%s %v signature %d: %v", name, tt.role, i, err)
				}
				pc.checkSig(t, tt.role, crypto.SHA256, digest, sig, false)
				want := first
				if i > 0 {
					want = tt.laterRuns
				}
				if got := pc.log.steps(); !slices.Equal(got, want) {
					t.Errorf("%s %v signature %d sent %v, want %v", name, tt.role, i, got, want)
				}
				checkSignCommands(t, pc.log.all(), tt.role)
			}
			if len(p.reqs) != tt.prompts {
				t.Errorf("%s %v: PIN asked %d times for 3 signatures, want %d", name, tt.role, len(p.reqs), tt.prompts)
			}
			want := eid.PINRequest{Purpose: eid.PurposeSign, Role: tt.role, TriesLeft: 3}
			for _, r := range p.reqs {
				if r != want {
					t.Errorf("%s: prompt got %+v, want %+v", name, r, want)
				}
			}
		}
	}
}

// checkSignCommands checks the SELECT path and the MSE key byte-exactly.
func checkSignCommands(t *testing.T, cmds [][]byte, role eid.KeyRole) {
	t.Helper()
	for _, c := range cmds {
		switch c[1] {
		case 0xA4:
			if got := fmt.Sprintf("% X", c); got != "00 A4 08 0C 04 3F 00 DF 00" {
				t.Errorf("SELECT %s, want the DF00 path", got)
			}
		case 0x22:
			if len(c) != 10 || c[9] != byte(role) || c[5] != 0x04 {
				t.Errorf("MSE:SET % X does not name key %02X", c, byte(role))
			}
		}
	}
}

// A right that the status query reported but that is not the
// authentication key's (here the one-shot right of a VERIFY done after
// MSE(83) by another program) makes the PSO answer 6982: the
// authentication key then asks the PIN and signs, once.
func TestSignAuthRetriesOnceAfter6982(t *testing.T) {
	for _, name := range pinFixtures() {
		pc := openPINCard(t, name)
		tr := eid.OverRaw(pc.vc) // another program, unseen by pc.card
		for _, c := range []apdu.Command{
			{INS: 0x22, P1: 0x41, P2: 0xB6, Data: []byte{0x04, 0x80, 0x01, 0x84, 0x83}, Le: apdu.NoLe},
			{INS: 0x20, P2: 0x01, Data: []byte{0x24, 0x12, 0x34, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, Le: apdu.NoLe},
		} {
			if resp, err := tr.Transmit(c); err != nil || resp.SW != apdu.OK {
				t.Fatalf("%s: setting up the non-rep right: %v %v", name, resp.SW, err)
			}
		}
		p := promptPINs("1234")
		got := pc.signed(t, name, eid.KeyAuth, crypto.SHA256, "after a one-shot right", p.prompt)
		want := []string{"status", "mse", "pso", "status", "mse", "verify", "pso", "getresp"}
		if !slices.Equal(got, want) {
			t.Errorf("%s: sent %v, want %v", name, got, want)
		}
		if len(p.reqs) != 1 {
			t.Errorf("%s: PIN asked %d times, want 1", name, len(p.reqs))
		}
	}
}

// LOG OFF through this Card: the session sees it and asks the status
// (and so the PIN) again, without trying the PSO first.
func TestSignAuthAfterLogOff(t *testing.T) {
	clk := eid.UseFakeClock(t)
	pc := openPINCard(t, "citizen-1.8")
	p := promptPINs("1234")
	for i := range 2 {
		got := pc.signed(t, fmt.Sprint("signature ", i), eid.KeyAuth, crypto.SHA384, fmt.Sprint("log off ", i), p.prompt)
		if want := []string{"status", "mse", "verify", "pso", "getresp"}; !slices.Equal(got, want) {
			t.Errorf("signature %d sent %v, want %v", i, got, want)
		}
		if _, err := pc.card.Transport().Transmit(apdu.Command{CLA: 0x80, INS: 0xE6, Le: apdu.NoLe}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(eid.PINStateReuse)
	}
	if len(p.reqs) != 2 {
		t.Errorf("PIN asked %d times around LOG OFF, want 2", len(p.reqs))
	}
}

// LOG OFF by another application, unseen by this Card: it still believes
// the authentication right held, so the PSO answers 6982, and only then
// are the status and the PIN asked. No try is spent on the way.
func TestSignAuthStaleRight(t *testing.T) {
	for _, name := range pinFixtures() {
		pc := openPINCard(t, name)
		p := promptPINs("1234")
		if err := pc.card.VerifyPINWith(p.prompt); err != nil {
			t.Fatal(err)
		}
		if resp, err := pc.vc.TransmitRaw([]byte{0x80, 0xE6, 0x00, 0x00}); err != nil || !bytes.Equal(resp, []byte{0x90, 0x00}) {
			t.Fatalf("LOG OFF behind the Card's back: % X %v", resp, err)
		}
		got := pc.signed(t, name, eid.KeyAuth, crypto.SHA256, "stale", p.prompt)
		want := []string{"mse", "pso", "status", "mse", "verify", "pso", "getresp"}
		if !slices.Equal(got, want) {
			t.Errorf("%s: sent %v, want %v", name, got, want)
		}
		if len(p.reqs) != 2 || pc.content.PINTries != 3 {
			t.Errorf("%s: %d prompts, counter %d; want 2 and 3", name, len(p.reqs), pc.content.PINTries)
		}
	}
}

func TestSignWrongPIN(t *testing.T) {
	for _, name := range pinFixtures() {
		pc := openPINCard(t, name)
		p := promptPINs("9999")
		_, err := pc.card.Sign(eid.KeySign, crypto.SHA256, make([]byte, 32), p.prompt)
		var wrong *eid.WrongPINError
		if !errors.As(err, &wrong) || wrong.TriesLeft != 2 {
			t.Errorf("%s: %v, want WrongPINError with 2 tries", name, err)
		}
		if pc.log.count("pso") != 0 {
			t.Errorf("%s: PSO sent after a wrong PIN", name)
		}
		p.checkWiped(t)
		p = promptPINs("12x4")
		if _, err := pc.card.Sign(eid.KeyAuth, crypto.SHA256, make([]byte, 32), p.prompt); !errors.Is(err, eid.ErrPINFormat) {
			t.Errorf("%s: badly formed PIN from the prompt: %v", name, err)
		}
		if pc.log.count("verify") != 1 || pc.content.PINTries != 2 {
			t.Errorf("%s: a badly formed PIN reached the card", name)
		}
		p.checkWiped(t)
	}
}

// The card is pulled right after VERIFY: the PSO fails with a SignError
// matching apdu.ErrCardRemoved, nothing is retried, the PIN counter is
// intact, and after re-insertion the next signature works.
func TestSignCardRemovedBetweenVerifyAndPSO(t *testing.T) {
	for _, name := range pinFixtures() {
		pc := openPINCard(t, name)
		p := promptPINs("1234")
		pc.vc.RemoveAfter(3) // status, MSE, VERIFY
		_, err := pc.card.Sign(eid.KeySign, crypto.SHA256, make([]byte, 32), p.prompt)
		var se *eid.SignError
		if !errors.As(err, &se) || !errors.Is(err, apdu.ErrCardRemoved) || !strings.HasPrefix(se.Step, "PSO") {
			t.Fatalf("%s: %v, want a PSO SignError wrapping ErrCardRemoved", name, err)
		}
		if got := pc.log.steps(); !slices.Equal(got, []string{"status", "mse", "verify", "pso"}) {
			t.Errorf("%s: sent %v; a removal must not be retried", name, got)
		}
		pc.vc.Insert()
		got := pc.signed(t, name+": after re-insertion", eid.KeySign, crypto.SHA256, "re-inserted", p.prompt)
		// The removal ended the card session: nothing is taken for known.
		if !slices.Equal(got, []string{"status", "mse", "verify", "pso", "getresp"}) {
			t.Errorf("%s: after re-insertion sent %v", name, got)
		}
		if pc.content.PINTries != 3 || len(p.reqs) != 2 {
			t.Errorf("%s: counter %d, %d prompts; want 3 and 2", name, pc.content.PINTries, len(p.reqs))
		}
	}
}
