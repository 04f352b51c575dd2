package virtualcard

import "testing"

const (
	ptAIDApplet  = "A0 00 00 00 30 29 05 70 00 AD 13 10 01 01 FF"
	ptAIDBelpic  = "A0 00 00 01 77 50 4B 43 53 2D 31 35"
	ptAIDIDFiles = "A0 00 00 01 77 49 64 46 69 6C 65 73"
	ptReadFirst  = "00 B0 00 00 01" // reads one byte of the current EF
)

func TestSelect(t *testing.T) {
	tests := []struct {
		name  string
		steps []ptStep
	}{
		{"applet P2=00", []ptStep{{"00 A4 04 00 0F " + ptAIDApplet, 0x9000}}},
		{"applet P2=0C", []ptStep{{"00 A4 04 0C 0F " + ptAIDApplet, 0x9000}}},
		{"applet P2=04", []ptStep{{"00 A4 04 04 0F " + ptAIDApplet, 0x6A86}}},
		{"applet select goes to the MF", []ptStep{
			{"00 A4 08 0C 04 DF 01 40 31", 0x9000},
			{"00 A4 04 00 0F " + ptAIDApplet, 0x9000},
			{ptReadFirst, 0x6986},
			{"00 A4 02 0C 02 DF 00", 0x9000},
		}},
		{"BELPIC AID selects DF00", []ptStep{
			{"00 A4 04 0C 0C " + ptAIDBelpic, 0x9000},
			{"00 A4 02 0C 02 50 38", 0x9000},
			{"00 A4 02 0C 02 40 31", 0x6A82},
		}},
		{"IDFiles AID selects DF01", []ptStep{
			{"00 A4 04 0C 0C " + ptAIDIDFiles, 0x9000},
			{ptReadFirst, 0x6986},
			{"00 A4 02 0C 02 40 31", 0x9000},
		}},
		{"DF AID with FCI requested", []ptStep{{"00 A4 04 00 0C " + ptAIDBelpic, 0x6A86}}},
		{"unknown AID", []ptStep{{"00 A4 04 0C 05 A0 00 00 00 01", 0x6A82}}},
		{"AID too long", []ptStep{{"00 A4 04 0C 11 " + ptAIDApplet + " 00 00", 0x6A87}}},
		{"eid-mw walk", []ptStep{
			{"00 A4 02 0C 02 40 31", 0x6A82}, // MF is current after reset
			{"00 A4 02 0C 02 3F 00", 0x9000},
			{"00 A4 02 0C 02 DF 01", 0x9000},
			{"00 A4 02 0C 02 40 31", 0x9000},
			{ptReadFirst, 0x9000},
		}},
		{"EF makes its parent current", []ptStep{
			{"00 A4 08 0C 06 3F 00 DF 01 40 31", 0x9000},
			{"00 A4 02 0C 02 40 33", 0x9000},
			{"00 A4 02 0C 02 50 38", 0x6A82}, // sibling DF's file
			{"00 A4 02 0C 02 3F 00", 0x9000},
			{"00 A4 02 0C 02 2F 00", 0x9000},
		}},
		{"FID of the wrong length", []ptStep{{"00 A4 02 0C 03 DF 01 40", 0x6A87}}},
		{"FID of one byte", []ptStep{{"00 A4 02 0C 01 DF", 0x6A87}}},
		{"FID with FCI requested", []ptStep{{"00 A4 02 00 02 DF 01", 0x6A86}}},
		{"FID without data", []ptStep{{"00 A4 02 0C", 0x6A87}}},
		{"path with 3F00", []ptStep{{"00 A4 08 0C 06 3F 00 DF 00 50 38", 0x9000}, {ptReadFirst, 0x9000}}},
		{"path without 3F00", []ptStep{{"00 A4 08 0C 04 DF 00 50 38", 0x9000}, {ptReadFirst, 0x9000}}},
		{"path to a DF", []ptStep{
			{"00 A4 08 0C 04 3F 00 DF 01", 0x9000},
			{ptReadFirst, 0x6986},
			{"00 A4 02 0C 02 40 35", 0x9000},
		}},
		{"path to the MF", []ptStep{{"00 A4 08 0C 02 3F 00", 0x9000}}},
		{"path to an EF under the MF", []ptStep{{"00 A4 08 0C 02 2F 00", 0x9000}, {ptReadFirst, 0x9000}}},
		{"path of odd length", []ptStep{{"00 A4 08 0C 03 DF 01 40", 0x6A87}}},
		{"path without data", []ptStep{{"00 A4 08 0C", 0x6A87}}},
		{"path with FCI requested", []ptStep{{"00 A4 08 00 04 DF 01 40 31", 0x6A86}}},
		{"unknown path", []ptStep{{"00 A4 08 0C 06 3F 00 DF 01 40 99", 0x6A82}}},
		{"file absent on 1.7", []ptStep{{"00 A4 08 0C 06 3F 00 DF 01 40 40", 0x6A82}}},
		{"failed select keeps the current EF", []ptStep{
			{"00 A4 08 0C 06 3F 00 DF 01 40 31", 0x9000},
			{"00 A4 08 0C 06 3F 00 DF 01 40 99", 0x6A82},
			{ptReadFirst, 0x9000},
		}},
		{"P1=00 not supported", []ptStep{{"00 A4 00 0C 02 3F 00", 0x6A86}}},
		{"P1=01 not supported", []ptStep{{"00 A4 01 0C 02 DF 01", 0x6A86}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ptRun(t, ptCard(t, Applet17), tt.steps)
		})
	}
}

func TestSelectBasicKeyFileOn18(t *testing.T) {
	k := ptCard(t, Applet18)
	ptRun(t, k, []ptStep{{"00 A4 08 0C 06 3F 00 DF 01 40 40", 0x9000}})
	data, sw := ptSend(t, k, ptHex(t, "00 B0 00 00 78"))
	if sw != 0x9000 || string(data) != string(k.content.Files["3F00DF014040"]) {
		t.Errorf("read 4040: %04X, % X", sw, data)
	}
}
