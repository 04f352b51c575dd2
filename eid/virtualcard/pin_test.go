package virtualcard

import (
	"bytes"
	"errors"
	"testing"
)

func TestParseCHVBlock(t *testing.T) {
	tests := []struct {
		block string
		pin   string // "" = invalid
	}{
		{"24 12 34 FF FF FF FF FF", "1234"},
		{"25 12 34 5F FF FF FF FF", "12345"},
		{"2C 12 34 56 78 90 12 FF", "123456789012"},
		{"34 12 34 FF FF FF FF FF", ""}, // control nibble 3
		{"23 12 3F FF FF FF FF FF", ""}, // 3 digits
		{"2D 12 34 56 78 90 12 3F", ""}, // 13 digits
		{"24 12 3A FF FF FF FF FF", ""}, // not BCD
		{"25 12 34 FF FF FF FF FF", ""}, // F where the fifth digit belongs
		{"2C 12 34 56 78 90 1A FF", ""}, // not BCD in the last digit
		{"24 12 34 FF FF FF FF FE", "1234"},
		{"25 12 34 50 FF FF FF FF", "12345"}, // the minidriver's CHANGE block
		{"24 12 34 00 00 00 00 00", "1234"},
		{"2C 12 34 56 78 90 12 00", "123456789012"},
		{"24 12 34 FF FF FF FF", ""}, // 7 bytes
	}
	for _, tt := range tests {
		pin, ok := parseCHVBlock(ptHex(t, tt.block))
		if ok != (tt.pin != "") || string(pin) != tt.pin {
			t.Errorf("%s: %q %v, want %q", tt.block, pin, ok, tt.pin)
		}
	}
}

// ptSaver records the tries counter at each save and can fail.
type ptSaver struct {
	tries []int
	pins  []string
	err   error
}

func (s *ptSaver) save(c *Content) error {
	s.tries = append(s.tries, c.PINTries)
	s.pins = append(s.pins, string(c.PIN))
	return s.err
}

func TestVerifyCounterAndBlocking(t *testing.T) {
	for _, applet := range ptApplets {
		var s ptSaver
		k := ptCard(t, applet, WithStateSaver(s.save))
		ptRun(t, k, []ptStep{
			{ptVerifyQuery, 0x63C3},
			{ptVerifyWrong, 0x63C2},
			{ptVerify1234, 0x9000}, // restores 3 tries
			{ptVerifyWrong, 0x63C2},
			{ptVerifyWrong, 0x63C1},
			{ptVerifyQuery, 0x63C1}, // the query does not count
			{"00 20 00 01 00", 0x63C1},
			{ptVerifyWrong, 0x6983},
			{ptVerify1234, 0x6983}, // blocked for good
			{ptVerifyQuery, 0x6983},
			{"00 24 00 01 10 24 12 34 FF FF FF FF FF 24 56 78 FF FF FF FF FF", 0x6983},
		})
		if want := []int{2, 3, 2, 1, 0}; !equalInts(s.tries, want) {
			t.Errorf("applet %02X: saved tries %v, want %v", applet, s.tries, want)
		}
		k.Reset()
		ptRun(t, k, []ptStep{{ptVerify1234, 0x6983}})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestVerifyErrors(t *testing.T) {
	tests := []struct {
		name, cmd string
		sw        uint16
	}{
		{"wrong reference", "00 20 00 02 08 24 12 34 FF FF FF FF FF", 0x6A88},
		{"wrong P1", "00 20 01 01 08 24 12 34 FF FF FF FF FF", 0x6A86},
		{"7-byte block", "00 20 00 01 07 24 12 34 FF FF FF FF", 0x6700},
		{"bad control nibble", "00 20 00 01 08 14 12 34 FF FF FF FF FF", 0x6A80},
		{"digit not BCD", "00 20 00 01 08 24 12 3B FF FF FF FF FF", 0x6A80},
		{"digit missing", "00 20 00 01 08 25 12 34 FF FF FF FF FF", 0x6A80},
		{"short PIN", "00 20 00 01 08 23 12 3F FF FF FF FF FF", 0x6A80},
	}
	for _, tt := range tests {
		var s ptSaver
		k := ptCard(t, Applet18, WithStateSaver(s.save))
		if got := ptSW(t, k, tt.cmd); got != tt.sw {
			t.Errorf("%s: %04X, want %04X", tt.name, got, tt.sw)
		}
		if got := ptSW(t, k, ptVerifyQuery); got != 0x63C3 || len(s.tries) != 0 {
			t.Errorf("%s cost a try: query %04X, saves %v", tt.name, got, s.tries)
		}
	}
}

func TestVerifyQueryReportsRights(t *testing.T) {
	k := ptCard(t, Applet17)
	ptRun(t, k, []ptStep{
		{ptVerify1234, 0x9000},
		{ptVerifyQuery, 0x9000},
		{ptLogOff, 0x9000},
		{ptVerifyQuery, 0x63C3},
		{ptVerify1234, 0x9000},
		{ptVerifyWrong, 0x63C2}, // a wrong PIN clears every right
		{ptVerifyQuery, 0x63C2},
	})
}

func TestSaveFailureAnswers6581(t *testing.T) {
	s := ptSaver{err: errors.New("disk full")}
	k := ptCard(t, Applet17, WithStateSaver(s.save))
	ptRun(t, k, []ptStep{{ptVerifyWrong, 0x6581}})
	if k.content.PINTries != 2 {
		t.Errorf("tries %d after a wrong PIN with a failed save, want 2 (a try is never given back)", k.content.PINTries)
	}
	// Restoring the counter cannot be saved: no right, counter unchanged.
	ptRun(t, k, []ptStep{{ptVerify1234, 0x6581}, {ptVerifyQuery, 0x63C2}})
	s.err = nil
	ptRun(t, k, []ptStep{{ptVerify1234, 0x9000}, {ptVerifyQuery, 0x9000}})
	if k.content.PINTries != 3 {
		t.Errorf("tries %d, want 3", k.content.PINTries)
	}
}

const (
	ptChange1234To567890 = "00 24 00 01 10 24 12 34 FF FF FF FF FF 26 56 78 90 FF FF FF FF"
	ptVerify567890       = "00 20 00 01 08 26 56 78 90 FF FF FF FF"
)

func TestChangeReferenceData(t *testing.T) {
	var s ptSaver
	k := ptCard(t, Applet18, WithStateSaver(s.save))
	ptRun(t, k, []ptStep{
		{ptChange1234To567890, 0x9000},
		{ptVerifyQuery, 0x9000}, // the change grants the right
		{ptLogOff, 0x9000},
		{ptVerify1234, 0x63C2},
		{ptVerify567890, 0x9000},
	})
	if len(s.pins) == 0 || s.pins[0] != "567890" {
		t.Errorf("saved PINs %q, want the new PIN saved first", s.pins)
	}
	if !bytes.Equal(k.content.PIN, []byte("567890")) {
		t.Errorf("content PIN not updated")
	}
}

func TestChangeReferenceDataErrors(t *testing.T) {
	tests := []struct {
		name, cmd string
		sw        uint16
		tries     int
	}{
		{"wrong old PIN", "00 24 00 01 10 24 99 99 FF FF FF FF FF 24 56 78 FF FF FF FF FF", 0x63C2, 2},
		{"bad new block", "00 24 00 01 10 24 12 34 FF FF FF FF FF 23 56 7F FF FF FF FF FF", 0x6A80, 3},
		{"bad old block", "00 24 00 01 10 44 12 34 FF FF FF FF FF 24 56 78 FF FF FF FF FF", 0x6A80, 3},
		{"one block only", "00 24 00 01 08 24 12 34 FF FF FF FF FF", 0x6700, 3},
		{"wrong reference", "00 24 00 81 10 24 12 34 FF FF FF FF FF 24 56 78 FF FF FF FF FF", 0x6A88, 3},
		{"wrong P1", "00 24 01 01 10 24 12 34 FF FF FF FF FF 24 56 78 FF FF FF FF FF", 0x6A86, 3},
	}
	for _, tt := range tests {
		k := ptCard(t, Applet17)
		if got := ptSW(t, k, tt.cmd); got != tt.sw {
			t.Errorf("%s: %04X, want %04X", tt.name, got, tt.sw)
		}
		if k.content.PINTries != tt.tries || string(k.content.PIN) != "1234" {
			t.Errorf("%s: tries %d PIN changed %v", tt.name, k.content.PINTries, string(k.content.PIN) != "1234")
		}
	}
}

func TestChangeReferenceDataSaveFailure(t *testing.T) {
	s := ptSaver{err: errors.New("read-only profile")}
	k := ptCard(t, Applet17, WithStateSaver(s.save))
	ptRun(t, k, []ptStep{{ptChange1234To567890, 0x6581}, {ptVerify1234, 0x9000}})
}

// Padding nibbles after the digits are not checked, on VERIFY and on
// CHANGE (both blocks): the Windows minidriver writes 0 after an odd PIN.
func TestPINBlockPaddingAccepted(t *testing.T) {
	var s ptSaver
	k := ptCard(t, Applet18, WithStateSaver(s.save))
	ptRun(t, k, []ptStep{
		{"00 20 00 01 08 24 12 34 00 00 00 00 00", 0x9000},
		{"00 24 00 01 10 24 12 34 FF FF FF FF FF 25 12 34 50 FF FF FF FF", 0x9000},
		{ptLogOff, 0x9000},
		{"00 20 00 01 08 25 12 34 5F FF FF FF FF", 0x9000},
		{"00 24 00 01 10 25 12 34 50 FF FF FF FF 27 76 54 32 10 FF FF FF", 0x9000},
		{ptLogOff, 0x9000},
		{"00 20 00 01 08 27 76 54 32 1A BC DE F0", 0x9000},
		{ptVerifyQuery, 0x9000},
	})
	if want := []string{"12345", "7654321"}; len(s.pins) != 2 || s.pins[0] != want[0] || s.pins[1] != want[1] {
		t.Errorf("saved PINs %q, want %q (digits only, no padding)", s.pins, want)
	}
}
