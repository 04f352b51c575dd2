package virtualcard

import (
	"testing"
)

func TestMalformedAndUnknownCommands(t *testing.T) {
	tests := []struct {
		name string
		cmd  string
		sw   uint16
	}{
		{"empty", "", 0x6700},
		{"three bytes", "00 A4 04", 0x6700},
		{"Lc longer than data", "00 A4 02 0C 03 3F 00", 0x6700},
		{"Lc shorter than data", "00 A4 02 0C 01 3F 00 00 00", 0x6700},
		{"extended length", "00 B0 00 00 00 01 00", 0x6700},
		{"unknown class", "A0 B0 00 00 10", 0x6E00},
		{"logical channel 1", "01 B0 00 00 10", 0x6881},
		{"logical channel 3 proprietary", "83 E4 00 00 1C", 0x6881},
		{"unknown instruction", "00 CA 00 00 10", 0x6D00},
		{"odd instruction", "00 B1 00 00 10", 0x6D00},
		{"proprietary class on ISO command", "80 A4 02 0C 02 3F 00", 0x6E00},
		{"ISO class on GET CARD DATA", "00 E4 00 00 1C", 0x6E00},
		{"data on a case 2 command", "80 E4 00 00 01 00 1C", 0x6700},
		{"data on LOG OFF", "80 E6 00 00 01 00", 0x6700},
		{"UPDATE BINARY refused", "00 D6 00 00 02 01 02", 0x6982},
		{"RESET RETRY COUNTER refused", "00 2C 00 01", 0x6982},
		{"LOG OFF wrong P1", "80 E6 01 00", 0x6B00},
		{"LOG OFF wrong P2", "80 E6 00 01 00", 0x6B00},
		{"GET CHALLENGE wrong P1", "00 84 01 00 08", 0x6A86},
	}
	for _, applet := range ptApplets {
		for _, tt := range tests {
			k := ptCard(t, applet)
			if got := ptSW(t, k, tt.cmd); got != tt.sw {
				t.Errorf("applet %02X, %s: %04X, want %04X", applet, tt.name, got, tt.sw)
			}
		}
	}
}

func TestLogOffForms(t *testing.T) {
	for _, cmd := range []string{"80 E6 00 00", "80 E6 00 00 00"} {
		k := ptCard(t, Applet17)
		ptRun(t, k, []ptStep{{ptVerify1234, 0x9000}, {cmd, 0x9000}, {ptVerifyQuery, 0x63C3}})
	}
}

func TestGetChallenge(t *testing.T) {
	k := ptCard(t, Applet18)
	a, sw := ptSend(t, k, ptHex(t, "00 84 00 00 08"))
	if sw != 0x9000 || len(a) != 8 {
		t.Fatalf("GET CHALLENGE 8: %d bytes, %04X", len(a), sw)
	}
	b, _ := ptSend(t, k, ptHex(t, "00 84 00 00 08"))
	if string(a) == string(b) {
		t.Errorf("two challenges are equal: % X", a)
	}
	if c, sw := ptSend(t, k, ptHex(t, "00 84 00 00 00")); sw != 0x9000 || len(c) != 256 {
		t.Errorf("GET CHALLENGE 00: %d bytes, %04X; want 256", len(c), sw)
	}
}

// With the card manager selected (empty AID), BELPIC commands are
// unknown and files are not found until the applet is selected again.
func TestCardManagerSelected(t *testing.T) {
	k := ptCard(t, Applet18)
	ptRun(t, k, []ptStep{
		{"00 A4 04 00", 0x9000},
		{ptCardData, 0x6D00},
		{"00 A4 02 0C 02 3F 00", 0x6A82},
		{"00 A4 08 0C 04 DF 01 40 31", 0x6A82},
		{"00 A4 04 0C 0C A0 00 00 01 77 50 4B 43 53 2D 31 35", 0x6A82},
		{"00 A4 04 00 0F A0 00 00 00 30 29 05 70 00 AD 13 10 01 01 FF", 0x9000},
		{ptCardData, 0x9000},
		{"00 A4 02 0C 02 DF 01", 0x9000},
	})
}
