package virtualcard

import (
	"strconv"
	"strings"
	"testing"
)

// independentCheck recomputes the check digits from the rule itself.
func independentCheck(t *testing.T, nine string, from2000 bool) string {
	v, err := strconv.Atoi(nine)
	if err != nil {
		t.Fatal(err)
	}
	if from2000 {
		v += 2000000000
	}
	return nine + strconv.Itoa(100 + 97 - v%97)[1:]
}

func TestParseNationalNumber(t *testing.T) {
	for _, tc := range []struct {
		nine     string
		from2000 bool
		want     NationalNumber
	}{
		{"850314865", false, NationalNumber{1985, 3, 14, 865}},
		{"010907188", true, NationalNumber{2001, 9, 7, 188}},
		{"500000123", false, NationalNumber{1950, 0, 0, 123}}, // year-only
		{"000229002", true, NationalNumber{2000, 2, 29, 2}},
	} {
		s := independentCheck(t, tc.nine, tc.from2000)
		got, err := ParseNationalNumber(s)
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s = %+v, want %+v", s, got, tc.want)
		}
		if got.String() != s {
			t.Errorf("%s: String() = %s", s, got.String())
		}
	}
}

func TestParseNationalNumberRefuses(t *testing.T) {
	good := independentCheck(t, "850314865", false)
	bad := good[:9] + strconv.Itoa((mustAtoi(good[9:])+1)%100)
	for in, want := range map[string]string{
		bad:                                     "check digits",
		"8503148653":                            "11 digits",
		"85.03.14-865.36":                       "11 digits",
		independentCheck(t, "851314865", false): "month 13",
		independentCheck(t, "850230865", false): "day 30",
		independentCheck(t, "850014865", false): "unknown month",
		independentCheck(t, "850314000", false): "sequence",
	} {
		_, err := ParseNationalNumber(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to mention %q", in, err, want)
		}
	}
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

func TestCardNumber(t *testing.T) {
	be := cardNumber("5921234567", false)
	if len(be) != 12 || mustAtoi(be[10:]) != 5921234567%97 {
		t.Errorf("cardNumber = %s, want check %02d", be, 5921234567%97)
	}
	fo := cardNumber("1234567", true)
	if fo != "B1234567"+strconv.Itoa(1234567%97) {
		t.Errorf("foreigner cardNumber = %s", fo)
	}
	for _, ok := range []string{be, fo} {
		if err := checkCardNumber(ok); err != nil {
			t.Errorf("checkCardNumber(%s): %v", ok, err)
		}
	}
	for _, bad := range []string{be[:11] + "0", "12345", "B12345678", "X123456789"} {
		if checkCardNumber(bad) == nil {
			t.Errorf("checkCardNumber(%s): no error", bad)
		}
	}
}
