package eid

import (
	"bytes"
	"testing"
)

func sampleCardData(p2 byte) []byte {
	b := []byte{
		0x53, 0x4C, 0x49, 0x4E, 0x33, 0x66, 0x00, 0x29, 0x6C, 0xFF, 0x27, 0x23, 0x66, 0x0C, 0x0F, 0x17, // serial
		0x23, 0x01, 0x02, 0x03, 0x04, // component, OS, softmask
		0x18, 0x00, 0x01, 0x00, 0x00, 0x02, 0x0F, // applet 1.8, global OS 0001, ...
	}
	if p2 == 1 {
		b = append(b, 0x02, 0xFF, 0xFF)
	}
	return b
}

func TestParseCardData(t *testing.T) {
	d, err := ParseCardData(sampleCardData(1))
	if err != nil {
		t.Fatal(err)
	}
	if d.AppletVersion != 0x18 || d.Applet() != "1.8" || d.GlobalOSVersion != 1 || d.LifeCycle != LifeCyclePersonalized {
		t.Errorf("decoded %+v", d)
	}
	if d.PINTries != 2 {
		t.Errorf("PIN tries %d, want 2", d.PINTries)
	}
	if d.SerialHex() != "534C494E336600296CFF2723660C0F17" || d.ShortSerial() != "6CFF2723660C0F17" {
		t.Errorf("serial %s / %s", d.SerialHex(), d.ShortSerial())
	}
	d, err = ParseCardData(sampleCardData(0))
	if err != nil || d.PINTries != -1 {
		t.Errorf("P2=00 answer: tries %d, err %v; want -1, nil", d.PINTries, err)
	}
	for _, n := range []int{0, 27, 29, 32} {
		if _, err := ParseCardData(make([]byte, n)); err == nil {
			t.Errorf("a %d-byte answer was accepted", n)
		}
	}
}

func FuzzParseCardData(f *testing.F) {
	f.Add(sampleCardData(0))
	f.Add(sampleCardData(1))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseCardData(b)
		if err != nil {
			return
		}
		if !bytes.Equal(d.Serial[:], b[:16]) || d.AppletVersion != b[21] || d.LifeCycle != b[27] {
			t.Fatalf("fields do not come from their offsets: %+v", d)
		}
		if d.PINTries > 255 || d.PINTries < -1 {
			t.Fatalf("PIN tries %d", d.PINTries)
		}
	})
}
