package eid_test

import (
	"crypto"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/apdu"
)

var (
	stepsWithPIN    = []string{"status", "select", "mse", "verify", "pso", "getresp"}
	stepsWithoutPIN = []string{"status", "select", "mse", "pso", "getresp"}
)

// The authentication key asks the PIN once per card session; the
// non-repudiation key before every signature, in the order SELECT DF00
// → MSE:SET(83) → VERIFY → PSO.
func TestSignPINRules(t *testing.T) {
	for _, name := range pinFixtures() {
		for _, tt := range []struct {
			role      eid.KeyRole
			prompts   int
			laterRuns []string
		}{
			{eid.KeyAuth, 1, stepsWithoutPIN},
			{eid.KeySign, 3, stepsWithPIN},
		} {
			pc := openPINCard(t, name)
			p := promptPINs("1234")
			s, err := pc.card.Signer(tt.role, p.prompt)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				pc.log.reset()
				if _, err := s.Sign(nil, digestOf(crypto.SHA256, "x"), crypto.SHA256); err != nil {
					t.Fatalf("%s %v signature %d: %v", name, tt.role, i, err)
				}
				want := stepsWithPIN
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
		tr := pc.card.Transport()
		for _, c := range []apdu.Command{
			{INS: 0x22, P1: 0x41, P2: 0xB6, Data: []byte{0x04, 0x80, 0x01, 0x84, 0x83}, Le: apdu.NoLe},
			{INS: 0x20, P2: 0x01, Data: []byte{0x24, 0x12, 0x34, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, Le: apdu.NoLe},
		} {
			if resp, err := tr.Transmit(c); err != nil || resp.SW != apdu.OK {
				t.Fatalf("%s: setting up the non-rep right: %v %v", name, resp.SW, err)
			}
		}
		pc.log.reset()
		p := promptPINs("1234")
		if _, err := pc.card.Sign(eid.KeyAuth, crypto.SHA256, make([]byte, 32), p.prompt); err != nil {
			t.Fatalf("%s: Sign: %v", name, err)
		}
		want := []string{"status", "select", "mse", "pso", "status", "select", "mse", "verify", "pso", "getresp"}
		if got := pc.log.steps(); !slices.Equal(got, want) {
			t.Errorf("%s: sent %v, want %v", name, got, want)
		}
		if len(p.reqs) != 1 {
			t.Errorf("%s: PIN asked %d times, want 1", name, len(p.reqs))
		}
	}
}

// LOG OFF from elsewhere: the status query sees it, so the PIN is asked.
func TestSignAuthAfterLogOff(t *testing.T) {
	pc := openPINCard(t, "citizen-1.8")
	p := promptPINs("1234")
	for i := range 2 {
		if _, err := pc.card.Sign(eid.KeyAuth, crypto.SHA384, make([]byte, 48), p.prompt); err != nil {
			t.Fatalf("Sign %d: %v", i, err)
		}
		if _, err := pc.card.Transport().Transmit(apdu.Command{CLA: 0x80, INS: 0xE6, Le: apdu.NoLe}); err != nil {
			t.Fatal(err)
		}
	}
	if len(p.reqs) != 2 {
		t.Errorf("PIN asked %d times around LOG OFF, want 2", len(p.reqs))
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
		pc.vc.RemoveAfter(4) // status, SELECT, MSE, VERIFY
		_, err := pc.card.Sign(eid.KeySign, crypto.SHA256, make([]byte, 32), p.prompt)
		var se *eid.SignError
		if !errors.As(err, &se) || !errors.Is(err, apdu.ErrCardRemoved) || !strings.HasPrefix(se.Step, "PSO") {
			t.Fatalf("%s: %v, want a PSO SignError wrapping ErrCardRemoved", name, err)
		}
		if got := pc.log.steps(); !slices.Equal(got, []string{"status", "select", "mse", "verify", "pso"}) {
			t.Errorf("%s: sent %v; a removal must not be retried", name, got)
		}
		pc.vc.Insert()
		if _, err := pc.card.Sign(eid.KeySign, crypto.SHA256, make([]byte, 32), p.prompt); err != nil {
			t.Errorf("%s: signature after re-insertion: %v", name, err)
		}
		if pc.content.PINTries != 3 || len(p.reqs) != 2 {
			t.Errorf("%s: counter %d, %d prompts; want 3 and 2", name, pc.content.PINTries, len(p.reqs))
		}
	}
}
