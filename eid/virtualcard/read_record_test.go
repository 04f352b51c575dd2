package virtualcard

import (
	"bytes"
	"strings"
	"testing"
)

func TestReadRecord(t *testing.T) {
	const selID = "00 A4 08 0C 06 3F 00 DF 01 40 31"
	tests := []struct {
		name, sel, cmd string
		sw             uint16
		want           []byte
	}{
		{"one tag", selID, "80 B2 07 07 00", 0x9000, ptTLV(0x07, "Specimen")},
		{"range", selID, "80 B2 01 02 00", 0x9000, ptJoin(ptTLV(0x01, "591234567890"), ptTLV(0x02, string(ptSerial[:])))},
		{"range with gaps", selID, "80 B2 03 0C 00", 0x9000, ptJoin(ptTLV(0x07, "Specimen"), ptTLV(0x0C, "01 JAN 1990"))},
		{"no Le", selID, "80 B2 07 07", 0x9000, ptTLV(0x07, "Specimen")},
		{"exact Le", selID, "80 B2 07 07 0A", 0x9000, ptTLV(0x07, "Specimen")},
		{"wrong Le", selID, "80 B2 07 07 05", 0x6C0A, nil},
		{"tag absent", selID, "80 B2 05 06 00", 0x6A83, nil},
		{"padding is not a record", selID, "80 B2 00 00 00", 0x6A83, nil},
		{"P2 before P1", selID, "80 B2 07 01 00", 0x6A83, nil},
		{"address file", "00 A4 08 0C 06 3F 00 DF 01 40 33", "80 B2 02 02 00", 0x9000, ptTLV(0x02, "1000")},
		{"transparent file", "00 A4 08 0C 06 3F 00 DF 00 50 38", "80 B2 01 01 00", 0x6981, nil},
		{"no current EF", "00 A4 02 0C 02 DF 01", "80 B2 01 01 00", 0x6986, nil},
	}
	for _, tt := range tests {
		k := ptCard(t, Applet18)
		ptRun(t, k, []ptStep{{tt.sel, 0x9000}})
		data, sw := ptSend(t, k, ptHex(t, tt.cmd))
		if sw != tt.sw || !bytes.Equal(data, tt.want) {
			t.Errorf("%s: %04X % X, want %04X % X", tt.name, sw, data, tt.want, tt.sw)
		}
	}
	k := ptCard(t, Applet17)
	ptRun(t, k, []ptStep{{selID, 0x9000}, {"80 B2 01 01 00", 0x6D00}})
}

// Records over 256 bytes come in chained parts; a field over 255 bytes
// cannot be a record.
func TestReadRecordLong(t *testing.T) {
	c := ptContent(t, Applet18)
	long := strings.Repeat("a", 100)
	c.Files["3F00DF014033"] = ptJoin(ptTLV(0x01, long), ptTLV(0x02, long), ptTLV(0x03, long),
		[]byte{0x04, 0xFF, 0x2D}, make([]byte, 300))
	k := New(c)
	ptRun(t, k, []ptStep{{"00 A4 08 0C 06 3F 00 DF 01 40 33", 0x9000}})
	first, sw := ptSend(t, k, ptHex(t, "80 B2 01 03 00"))
	if sw != 0x6132 || len(first) != 256 {
		t.Fatalf("first part: %04X, %d bytes; want 6132 and 256", sw, len(first))
	}
	rest, sw := ptSend(t, k, ptHex(t, "00 C0 00 00 32"))
	want := ptJoin(ptTLV(0x01, long), ptTLV(0x02, long), ptTLV(0x03, long))
	if sw != 0x9000 || !bytes.Equal(append(first, rest...), want) {
		t.Errorf("chained records differ (%04X)", sw)
	}
	ptRun(t, k, []ptStep{{"80 B2 04 04 00", 0x6A80}})
}
