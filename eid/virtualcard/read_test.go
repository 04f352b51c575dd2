package virtualcard

import (
	"bytes"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
)

func TestReadBinaryEOF(t *testing.T) {
	const (
		dir   = "00 A4 08 0C 04 3F 00 2F 00"       // 37 bytes
		photo = "00 A4 08 0C 06 3F 00 DF 01 40 35" // 512 bytes
	)
	tests := []struct {
		name       string
		sel, read  string
		sw         uint16
		file       string
		off, count int
	}{
		{"exact length", dir, "00 B0 00 00 25", 0x9000, "3F002F00", 0, 37},
		{"shorter than the file", dir, "00 B0 00 00 10", 0x9000, "3F002F00", 0, 16},
		{"Le past the end", dir, "00 B0 00 00 FC", 0x6C25, "", 0, 0},
		{"Le 00 past the end", dir, "00 B0 00 0A 00", 0x6C1B, "", 0, 0},
		{"no Le is 256", dir, "00 B0 00 00", 0x6C25, "", 0, 0},
		{"tail", dir, "00 B0 00 24 01", 0x9000, "3F002F00", 36, 1},
		{"offset at the end", dir, "00 B0 00 25 01", 0x6B00, "", 0, 0},
		{"offset past the end", dir, "00 B0 01 00 01", 0x6B00, "", 0, 0},
		{"Le 00 reads 256", photo, "00 B0 00 00 00", 0x9000, "3F00DF014035", 0, 256},
		{"second 256", photo, "00 B0 01 00 00", 0x9000, "3F00DF014035", 256, 256},
		{"end of a multiple of 256", photo, "00 B0 02 00 00", 0x6B00, "", 0, 0},
		{"short-EF-identifier P1", photo, "00 B0 81 00 10", 0x6B00, "", 0, 0},
		{"no current EF", "00 A4 02 0C 02 DF 01", "00 B0 00 00 10", 0x6986, "", 0, 0},
		{"data field", dir, "00 B0 00 00 01 00", 0x6700, "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := ptCard(t, Applet17)
			ptRun(t, k, []ptStep{{tt.sel, 0x9000}})
			data, sw := ptSend(t, k, ptHex(t, tt.read))
			if sw != tt.sw {
				t.Fatalf("status %04X, want %04X", sw, tt.sw)
			}
			var want []byte
			if tt.file != "" {
				want = k.content.Files[tt.file][tt.off : tt.off+tt.count]
			}
			if !bytes.Equal(data, want) {
				t.Errorf("data % X, want % X", data, want)
			}
		})
	}
}

// Reading with the T=0 exchange rules in 252-byte chunks, as eid-mw
// does, returns each file exactly, padding included.
func TestReadWholeFilesThroughExchange(t *testing.T) {
	k := ptCard(t, Applet18)
	for path, want := range k.content.Files {
		sel := apdu.Command{INS: 0xA4, P1: 0x08, P2: 0x0C, Data: ptHex(t, path), Le: apdu.NoLe}
		if r, err := apdu.Exchange(k, sel); err != nil || r.SW != apdu.OK {
			t.Fatalf("select %s: %v %v", path, r.SW, err)
		}
		var got []byte
		for {
			rd := apdu.Command{INS: 0xB0, P1: byte(len(got) >> 8), P2: byte(len(got)), Le: 252}
			r, err := apdu.Exchange(k, rd)
			if err != nil {
				t.Fatal(err)
			}
			if r.SW == apdu.WrongP1P2 {
				break
			}
			if r.SW != apdu.OK {
				t.Fatalf("%s at %d: %v", path, len(got), r.SW)
			}
			got = append(got, r.Data...)
			if len(r.Data) < 252 {
				break
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: read %d bytes, want the %d stored", path, len(got), len(want))
		}
	}
}
