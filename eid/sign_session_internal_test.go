package eid

import (
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
)

func TestDFAfterSelect(t *testing.T) {
	sel := func(p1 byte, data ...byte) apdu.Command {
		return apdu.Command{INS: 0xA4, P1: p1, P2: 0x0C, Data: data, Le: apdu.NoLe}
	}
	tests := []struct {
		name string
		cmd  apdu.Command
		sw   apdu.Status
		want dfState
	}{
		{"DF00 by path", sel(0x08, 0x3F, 0x00, 0xDF, 0x00), apdu.OK, dfBelpic},
		{"DF00 by path without 3F00", sel(0x08, 0xDF, 0x00), apdu.OK, dfBelpic},
		{"certificate in DF00", sel(0x08, 0x3F, 0x00, 0xDF, 0x00, 0x50, 0x38), apdu.OK, dfBelpic},
		{"DF00 by AID", sel(0x04, belpicDFAID...), apdu.OK, dfBelpic},
		{"identity file in DF01", sel(0x08, 0x3F, 0x00, 0xDF, 0x01, 0x40, 0x31), apdu.OK, dfOther},
		{"the MF", sel(0x08, 0x3F, 0x00), apdu.OK, dfOther},
		{"the applet", sel(0x04, appletAID...), apdu.OK, dfOther},
		{"a failed select", sel(0x08, 0x3F, 0x00, 0xDF, 0x00), apdu.FileNotFound, dfUnknown},
		{"a relative FID", sel(0x02, 0xDF, 0x00), apdu.OK, dfUnknown},
	}
	for _, tt := range tests {
		if got := dfAfterSelect(tt.cmd, tt.sw); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Any transport error ends what the session knows: the card may have
// been pulled or reset, which ends the card session.
func TestSessionForgetsOnTransportError(t *testing.T) {
	s := &session{df: dfBelpic, seKey: 0x82, auth: true, pin: PINState{TriesLeft: 3, Verified: true}, pinAt: clock()}
	s.observe(apdu.Command{INS: 0x2A}, 0, apdu.ErrCardReset)
	if s.df != dfUnknown || s.auth || s.seKey != 0 || !s.pinAt.IsZero() {
		t.Errorf("after a transport error the session still knows %+v", s)
	}
}
