package pcsc

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// The Belgian templates (beid-card.md §7.2, §7.3): GP PIN blocks with L=0.
var (
	emptyBlock   = []byte{0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	verifyTmpl   = apdu.Command{CLA: 0x00, INS: 0x20, P1: 0x00, P2: 0x01, Data: emptyBlock, Le: apdu.NoLe}
	modifyTmpl   = apdu.Command{CLA: 0x00, INS: 0x24, P1: 0x00, P2: 0x01, Data: append(append([]byte{}, emptyBlock...), emptyBlock...), Le: apdu.NoLe}
	verifyAPDU13 = []byte{0x00, 0x20, 0x00, 0x01, 0x08, 0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
)

func TestVerifyStructureBelgian(t *testing.T) {
	got, err := verifyStructure(eid.BelgianPINPadFormat, verifyTmpl)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte{
		0x1E, 0x1E, 0x89, 0x47, 0x04, // timers, format, block, length format
		0x0C, 0x04, // wPINMaxExtraDigit: max 12, min 4
		0x02, 0x01, // OK key validates; one message
		0x00, 0x00, // wLangId
		0x00, 0x00, 0x00, 0x00, // bMsgIndex, bTeoPrologue
		0x0D, 0x00, 0x00, 0x00, // ulDataLength 13
	}, verifyAPDU13...)
	if !bytes.Equal(got, want) {
		t.Errorf("PIN_VERIFY_STRUCTURE\n got % X\nwant % X", got, want)
	}
}

// The structure the official middleware logged for an SPR532 (old
// firmware format 01, max 8 digits), with wLangId nl-BE little-endian.
func TestVerifyStructureSPR532Log(t *testing.T) {
	f := eid.BelgianPINPadFormat
	f.FormatString, f.MaxDigits, f.LangID = 0x01, 8, 0x0813
	got, err := verifyStructure(f, verifyTmpl)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte{0x1E, 0x1E, 0x01, 0x47, 0x04, 0x08, 0x04, 0x02, 0x01, 0x13, 0x08,
		0x00, 0x00, 0x00, 0x00, 0x0D, 0x00, 0x00, 0x00}, verifyAPDU13...)
	if len(got) != 32 || !bytes.Equal(got, want) {
		t.Errorf("SPR532 structure (%d bytes)\n got % X\nwant % X", len(got), got, want)
	}
}

func TestModifyStructureBelgian(t *testing.T) {
	got, err := modifyStructure(eid.BelgianPINPadFormat, modifyTmpl)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x1E, 0x1E, 0x89, 0x47, 0x04, // timers, format, block, length format
		0x00, 0x08, // insertion offsets old, new
		0x0C, 0x04, // max 12, min 4
		0x03, 0x02, 0x03, // confirm, OK key, three messages
		0x00, 0x00, // wLangId
		0x00, 0x01, 0x02, // bMsgIndex1..3
		0x00, 0x00, 0x00, // bTeoPrologue
		0x15, 0x00, 0x00, 0x00, // ulDataLength 21
		0x00, 0x24, 0x00, 0x01, 0x10,
	}
	want = append(append(want, emptyBlock...), emptyBlock...)
	if !bytes.Equal(got, want) {
		t.Errorf("PIN_MODIFY_STRUCTURE\n got % X\nwant % X", got, want)
	}
}

func TestPINStructureTimerAndLang(t *testing.T) {
	f := eid.BelgianPINPadFormat
	f.Timeout, f.LangID = 0, 0x040C // reader default timeout, French
	v, err := verifyStructure(f, verifyTmpl)
	if err != nil {
		t.Fatal(err)
	}
	if v[0] != 0 || v[1] != 0 || v[9] != 0x0C || v[10] != 0x04 {
		t.Errorf("verify: timers % X, wLangId % X; want 00 00, 0C 04", v[:2], v[9:11])
	}
	f.Timeout = 255 * time.Second
	m, err := modifyStructure(f, modifyTmpl)
	if err != nil {
		t.Fatal(err)
	}
	if m[0] != 0xFF || m[1] != 0xFF || m[12] != 0x0C || m[13] != 0x04 {
		t.Errorf("modify: timers % X, wLangId % X; want FF FF, 0C 04", m[:2], m[12:14])
	}
}

func TestPINStructureRejectsBadInput(t *testing.T) {
	bel := eid.BelgianPINPadFormat
	with := func(fn func(*eid.PINPadFormat)) eid.PINPadFormat { f := bel; fn(&f); return f }
	tests := []struct {
		name string
		f    eid.PINPadFormat
		cmd  apdu.Command
		want string
	}{
		{"negative timeout", with(func(f *eid.PINPadFormat) { f.Timeout = -time.Second }), verifyTmpl, "whole seconds"},
		{"long timeout", with(func(f *eid.PINPadFormat) { f.Timeout = 256 * time.Second }), verifyTmpl, "timeout 4m16s"},
		{"fractional timeout", with(func(f *eid.PINPadFormat) { f.Timeout = 1500 * time.Millisecond }), verifyTmpl, "timeout 1.5s"},
		{"min 0", with(func(f *eid.PINPadFormat) { f.MinDigits = 0 }), verifyTmpl, "digits 0..12"},
		{"max < min", with(func(f *eid.PINPadFormat) { f.MaxDigits = 3 }), verifyTmpl, "digits 4..3"},
		{"max 256", with(func(f *eid.PINPadFormat) { f.MaxDigits = 256 }), verifyTmpl, "digits 4..256"},
		{"no template", bel, apdu.Command{INS: 0x20, P2: 0x01, Le: apdu.NoLe}, "has no PIN block"},
		{"too long", bel, apdu.Command{INS: 0x20, Data: make([]byte, 256), Le: apdu.NoLe}, "exceeds a short APDU"},
	}
	for _, tt := range tests {
		for kind, build := range map[string]func(eid.PINPadFormat, apdu.Command) ([]byte, error){
			"verify": verifyStructure, "modify": modifyStructure,
		} {
			s, err := build(tt.f, tt.cmd)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s %s: err = %v, want it to say %q", kind, tt.name, err, tt.want)
			}
			if s != nil {
				t.Errorf("%s %s: got a structure despite the error", kind, tt.name)
			}
		}
	}
}
