package eid

import (
	"strings"
	"testing"
)

func TestParseNationalNumber(t *testing.T) {
	tests := []struct {
		in        string
		display   string
		year      int
		month     int
		day       int
		seq       int
		sex       Sex
		bis       bool
		birthDate string
	}{
		// eid-viewer's test card, born 1967: 97 - 670630296 mod 97 = 59.
		{"67063029659", "67.06.30-296.59", 1967, 6, 30, 296, SexFemale, false, "1967-06-30"},
		{"85073003328", "85.07.30-033.28", 1985, 7, 30, 33, SexMale, false, "1985-07-30"},
		// Born 2005: only "2"+050115123 gives 53.
		{"05011512353", "05.01.15-123.53", 2005, 1, 15, 123, SexMale, false, "2005-01-15"},
		{"00022900244", "00.02.29-002.44", 2000, 2, 29, 2, SexFemale, false, "2000-02-29"},
		// Unknown birth day and month.
		{"85000003306", "85.00.00-033.06", 1985, 0, 0, 33, SexMale, false, "1985"},
		// BIS numbers: +40 (sex known), +20 (sex unknown).
		{"85473003317", "85.47.30-033.17", 1985, 7, 30, 33, SexMale, true, "1985-07-30"},
		{"85273003371", "85.27.30-033.71", 1985, 7, 30, 33, SexUnknown, true, "1985-07-30"},
	}
	for _, tc := range tests {
		n, err := ParseNationalNumber(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if n.String() != tc.display || n.Year != tc.year || n.Month != tc.month || n.Day != tc.day ||
			n.Sequence != tc.seq || n.Sex != tc.sex || n.BIS != tc.bis || n.Digits != tc.in {
			t.Errorf("%s = %+v (%s)", tc.in, n, n)
		}
		if got := n.BirthDate().String(); got != tc.birthDate {
			t.Errorf("%s: birth date %s, want %s", tc.in, got, tc.birthDate)
		}
	}
}

func TestParseNationalNumberErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"6706302965", "want 11 digits"},
		{"670630296590", "want 11 digits"},
		{"67.06.30-296.59", "want 11 digits"},
		{"6706302965X", "want 11 digits"},
		{"67063029658", "check digits 58 match neither the 19xx value 59 nor the 20xx value 88"},
		{"85133003370", "month field 13"},
		{"85333003316", "month field 33"},
		{"85023003390", "day 30 does not exist in month 2 of 1985"},
		{"85073203365", "day 32 out of range"},
	}
	for _, tc := range tests {
		_, err := ParseNationalNumber(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.in) {
			t.Errorf("%s: err = %v, want %q", tc.in, err, tc.want)
		}
	}
}
