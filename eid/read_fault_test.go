package eid_test

import (
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// TestCardRemovedMidRead pulls the card after n more APDUs at many points
// of a full read: the read fails with the typed error, and after the card
// is put back a new read returns everything.
func TestCardRemovedMidRead(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, 9, 17, 30} {
		vc, content := loadFixture(t, "citizen-1.8")
		card, _ := openCounted(t, vc, vc.ATR())
		vc.RemoveAfter(n)
		_, err := card.Read(card.FullRead()...)
		if !errors.Is(err, apdu.ErrCardRemoved) {
			t.Fatalf("removal after %d APDUs: got %v, want ErrCardRemoved", n, err)
		}
		vc.Insert()
		card, _ = openCounted(t, vc, vc.ATR())
		files, err := card.Read(eid.FileIdentity, eid.FilePhoto)
		if err != nil {
			t.Fatalf("read after re-insertion (removed after %d): %v", n, err)
		}
		checkFile(t, eid.FileIdentity, files.Identity, content.Files[hexPath(eid.FileIdentity)], content.Applet)
	}
}

// scripted answers chosen commands itself and passes the rest to the card.
type scripted struct {
	card   apdu.RawTransmitter
	answer func(cmd []byte) []byte // nil: let the card answer
	sent   [][]byte
}

func (s *scripted) TransmitRaw(cmd []byte) ([]byte, error) {
	s.sent = append(s.sent, append([]byte(nil), cmd...))
	if r := s.answer(cmd); r != nil {
		return r, nil
	}
	return s.card.TransmitRaw(cmd)
}

func TestOtherAppletSelectedIsRecovered(t *testing.T) {
	vc, content := loadFixture(t, "citizen-1.7")
	first := true
	s := &scripted{card: vc, answer: func(cmd []byte) []byte {
		if first && cmd[1] == 0xE4 {
			first = false
			return []byte{0x6D, 0x00} // as if another applet were selected
		}
		return nil
	}}
	card, err := eid.Open(eid.OverRaw(s), eid.RecognizeATR(vc.ATR()))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if card.Data.Serial != content.ChipSerial {
		t.Errorf("serial %X after re-selection, want %X", card.Data.Serial, content.ChipSerial)
	}
	if len(s.sent) != 3 || s.sent[1][1] != 0xA4 || s.sent[1][2] != 0x04 {
		t.Errorf("want GET CARD DATA, SELECT applet, GET CARD DATA; sent %X", s.sent)
	}
}

func TestOpenRefusals(t *testing.T) {
	cases := []struct {
		name string
		data []byte // GET CARD DATA answer
		want error
	}{
		{"applet 1.1", cardData(0x11, 0x0F), eid.ErrUnsupportedApplet},
		{"blank card", cardData(0x17, 0x07), eid.ErrNotPersonalized},
		{"short answer", []byte{0x01, 0x02, 0x90, 0x00}, nil},
		{"error status", []byte{0x65, 0x81}, apdu.MemoryFailure},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := apdu.RawFunc(func([]byte) ([]byte, error) { return c.data, nil })
			_, err := eid.Open(eid.OverRaw(raw), eid.FamilyRSA)
			if err == nil {
				t.Fatal("Open accepted the card")
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
}

func cardData(version, lifeCycle byte) []byte {
	b := make([]byte, 28, 30)
	b[21], b[27] = version, lifeCycle
	return append(b, 0x90, 0x00)
}

func TestRecognizeATR(t *testing.T) {
	cases := []struct {
		atr  []byte
		want eid.Family
	}{
		{[]byte{0x3B, 0x98, 0x13, 0x40, 0x0A, 0xA5, 0x03, 0x01, 0x01, 0x01, 0xAD, 0x13, 0x11}, eid.FamilyRSA},
		{[]byte{0x3B, 0x98, 0x94, 0x40, 0xFF, 0xA5, 0x03, 0x01, 0x01, 0x01, 0xAD, 0x13, 0x10}, eid.FamilyRSA},
		{[]byte{0x3B, 0x7F, 0x96, 0x00, 0x00, 0x80, 0x31, 0x80, 0x65, 0xB0, 0x85, 0x04, 0x01, 0x20, 0x12, 0x0F, 0xFF, 0x82, 0x90, 0x00}, eid.FamilyEC},
		{[]byte{0x3B, 0x98, 0x13, 0x40, 0x0A, 0xA5, 0x03, 0x01, 0x01, 0x02, 0xAD, 0x13, 0x11}, eid.NotBelgianEID},
		{[]byte{0x3B, 0x8F, 0x80, 0x01, 0x80, 0x91, 0xE1, 0x31, 0xD8, 0x65, 0xB2, 0x8C, 0x01, 0x02, 0x22, 0x73, 0xC4, 0x41, 0xE0, 0x7B}, eid.NotBelgianEID},
		{nil, eid.NotBelgianEID},
	}
	for _, c := range cases {
		if got := eid.RecognizeATR(c.atr); got != c.want {
			t.Errorf("RecognizeATR(% X) = %v, want %v", c.atr, got, c.want)
		}
	}
}
