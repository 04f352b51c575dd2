package virtualcard

import (
	"bytes"
	"testing"
)

func TestGetCardDataLayout(t *testing.T) {
	tests := []struct {
		applet byte
		cmd    string
		n      int
		tail   string // bytes 21..27 (and 28..30 for P2=01)
	}{
		{Applet17, "80 E4 00 00 1C", 28, "17 00 03 00 21 01 0F"},
		{Applet18, "80 E4 00 00 1C", 28, "18 00 01 00 00 02 0F"},
		{Applet18, "80 E4 00 01 1F", 31, "18 00 01 00 00 02 0F 03 FF FF"},
	}
	for _, tt := range tests {
		k := ptCard(t, tt.applet)
		data, sw := ptSend(t, k, ptHex(t, tt.cmd))
		if sw != 0x9000 || len(data) != tt.n {
			t.Fatalf("%s on %02X: %d bytes, %04X", tt.cmd, tt.applet, len(data), sw)
		}
		if !bytes.Equal(data[:16], ptSerial[:]) {
			t.Errorf("serial % X, want % X", data[:16], ptSerial)
		}
		if got := data[21:]; !bytes.Equal(got, ptHex(t, tt.tail)) {
			t.Errorf("%s on %02X: bytes 21.. % X, want %s", tt.cmd, tt.applet, got, tt.tail)
		}
	}
}

func TestGetCardDataErrors(t *testing.T) {
	tests := []struct {
		applet byte
		cmd    string
		sw     uint16
	}{
		{Applet17, "80 E4 00 00 FF", 0x6C1C},
		{Applet17, "80 E4 00 00 1F", 0x6C1C},
		{Applet17, "80 E4 00 00", 0x6C1C},
		{Applet17, "80 E4 00 01 1F", 0x6B00},
		{Applet18, "80 E4 00 01 1C", 0x6C1F},
		{Applet18, "80 E4 00 02 1C", 0x6B00},
		{Applet18, "80 E4 01 00 1C", 0x6B00},
	}
	for _, tt := range tests {
		if got := ptSW(t, ptCard(t, tt.applet), tt.cmd); got != tt.sw {
			t.Errorf("%s on %02X: %04X, want %04X", tt.cmd, tt.applet, got, tt.sw)
		}
	}
}

func TestGetCardDataTracksPINTries(t *testing.T) {
	k := ptCard(t, Applet18)
	ptRun(t, k, []ptStep{{ptVerifyWrong, 0x63C2}})
	data, _ := ptSend(t, k, ptHex(t, "80 E4 00 01 1F"))
	if data[28] != 2 {
		t.Errorf("byte 28 = %d after one wrong PIN, want 2", data[28])
	}
	k.content.PIN = nil
	data, _ = ptSend(t, k, ptHex(t, "80 E4 00 01 1F"))
	if data[28] != 0xFF {
		t.Errorf("byte 28 = %02X on a card without PIN, want FF", data[28])
	}
}
