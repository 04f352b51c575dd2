package eid_test

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// SELECT DF00 is sent before MSE exactly when the Card's session knows
// another DF is current; a certificate read, or no knowledge at all,
// sends MSE at once.
func TestSignSelectsDF00OnlyWhenElsewhere(t *testing.T) {
	selectApplet := apdu.Command{INS: 0xA4, P1: 0x04, P2: 0x0C,
		Data: []byte{0xA0, 0x00, 0x00, 0x00, 0x30, 0x29, 0x05, 0x70, 0x00, 0xAD, 0x13, 0x10, 0x01, 0x01, 0xFF}, Le: apdu.NoLe}
	tests := []struct {
		name   string
		before func(*eid.Card) error
		want   []string
	}{
		{"fresh card", func(*eid.Card) error { return nil }, []string{"mse", "verify", "pso", "getresp"}},
		{"certificate read", func(c *eid.Card) error { _, err := c.ReadFile(eid.FileAuthCert); return err },
			[]string{"mse", "verify", "pso", "getresp"}},
		{"identity read", func(c *eid.Card) error { _, err := c.ReadFile(eid.FileIdentity); return err },
			[]string{"select", "mse", "verify", "pso", "getresp"}},
		{"applet selected", func(c *eid.Card) error { _, err := c.Transport().Transmit(selectApplet); return err },
			[]string{"select", "mse", "verify", "pso", "getresp"}},
	}
	for _, name := range pinFixtures() {
		for _, tt := range tests {
			eid.UseFakeClock(t)
			pc := openPINCard(t, name)
			if _, err := pc.card.PINStatus(); err != nil { // installs the session
				t.Fatal(err)
			}
			if err := tt.before(pc.card); err != nil {
				t.Fatalf("%s %s: %v", name, tt.name, err)
			}
			got := pc.signed(t, name+" "+tt.name, eid.KeySign, crypto.SHA256, tt.name, promptPINs("1234").prompt)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s %s: sent %v, want %v", name, tt.name, got, tt.want)
			}
			checkSignCommands(t, pc.log.all(), eid.KeySign)
		}
	}
}

// strictDF is a card that takes MSE only with DF00 current, answering sw
// otherwise, as eid-mw says 1.7 cards may; it follows the current DF
// from the SELECTs that pass through it.
type strictDF struct {
	card apdu.RawTransmitter
	sw   apdu.Status
	df00 bool
}

func (s *strictDF) TransmitRaw(cmd []byte) ([]byte, error) {
	switch {
	case len(cmd) > 5 && cmd[1] == 0xA4:
		path := bytes.TrimPrefix(cmd[5:], []byte{0x3F, 0x00})
		s.df00 = cmd[2] == 0x08 && len(path) >= 2 && path[0] == 0xDF && path[1] == 0x00
	case cmd[1] == 0x22 && !s.df00:
		return []byte{s.sw.SW1(), s.sw.SW2()}, nil
	}
	return s.card.TransmitRaw(cmd)
}

// The optimistic MSE falls back to SELECT DF00 and one more MSE on every
// answer that may mean "wrong DF", and only on those.
func TestSignMSEFallback(t *testing.T) {
	for _, sw := range []apdu.Status{apdu.ReferenceNotFound, apdu.FileNotFound, apdu.ConditionsNotMet,
		apdu.IncorrectP1P2InData, apdu.INSNotSupported} {
		t.Run(fmt.Sprintf("%04X", uint16(sw)), func(t *testing.T) {
			eid.UseFakeClock(t)
			strict := &strictDF{sw: sw}
			pc := openPINCardVia(t, "citizen-1.7", nil, func(r apdu.RawTransmitter) apdu.RawTransmitter {
				strict.card = r
				return strict
			})
			// Another application moves to DF01 behind the Card's back.
			if _, err := strict.TransmitRaw([]byte{0x00, 0xA4, 0x08, 0x0C, 0x04, 0x3F, 0x00, 0xDF, 0x01}); err != nil {
				t.Fatal(err)
			}
			p := promptPINs("1234")
			for i, want := range [][]string{
				{"status", "mse", "select", "mse", "verify", "pso", "getresp"},
				{"mse", "verify", "pso", "getresp"}, // DF00 is now known current
			} {
				got := pc.signed(t, fmt.Sprint("signature ", i), eid.KeySign, crypto.SHA256, fmt.Sprint(i), p.prompt)
				if !slices.Equal(got, want) {
					t.Errorf("signature %d sent %v, want %v", i, got, want)
				}
				checkSignCommands(t, pc.log.all(), eid.KeySign)
			}
		})
	}
}

// An MSE refusal that is not about the DF, or one that persists in DF00,
// fails the signature before any VERIFY: the PIN asked is not sent.
func TestSignMSERefused(t *testing.T) {
	tests := []struct {
		sw       apdu.Status
		inDF00   bool // the card refuses even with DF00 current
		wantSent []string
	}{
		{apdu.IncorrectData, false, []string{"status", "mse"}},
		{apdu.ReferenceNotFound, true, []string{"status", "mse", "select", "mse"}},
	}
	for _, tt := range tests {
		strict := &strictDF{sw: tt.sw}
		pc := openPINCardVia(t, "citizen-1.8", nil, func(r apdu.RawTransmitter) apdu.RawTransmitter {
			strict.card = r
			if tt.inDF00 {
				return apdu.RawFunc(func(cmd []byte) ([]byte, error) {
					if cmd[1] == 0x22 {
						return []byte{tt.sw.SW1(), tt.sw.SW2()}, nil
					}
					return r.TransmitRaw(cmd)
				})
			}
			return strict
		})
		if _, err := pc.vc.TransmitRaw([]byte{0x00, 0xA4, 0x08, 0x0C, 0x02, 0x3F, 0x00}); err != nil {
			t.Fatal(err)
		}
		strict.df00 = false
		_, err := pc.card.Sign(eid.KeySign, crypto.SHA384, make([]byte, 48), promptPINs("1234").prompt)
		var se *eid.SignError
		if !errors.As(err, &se) || !errors.Is(err, tt.sw) {
			t.Errorf("MSE answering %04X: %v, want a SignError with that status", uint16(tt.sw), err)
		}
		if got := pc.log.steps(); !slices.Equal(got, tt.wantSent) {
			t.Errorf("MSE answering %04X: sent %v, want %v", uint16(tt.sw), got, tt.wantSent)
		}
		if pc.content.PINTries != 3 {
			t.Errorf("counter %d after a refused MSE, want 3", pc.content.PINTries)
		}
	}
}
