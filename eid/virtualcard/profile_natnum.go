package virtualcard

import (
	"fmt"
	"strconv"
)

// NationalNumber is a decoded Belgian national register number
// YYMMDDSSSCC. Month and day are 0 when unknown (only the birth year is
// registered). Bis numbers (month + 20 or + 40) are not supported.
type NationalNumber struct {
	Year, Month, Day int
	Seq              int // SSS: odd for men, even for women
}

// Male reports whether the sequence number is a man's (odd).
func (n NationalNumber) Male() bool { return n.Seq%2 == 1 }

// String formats n as 11 digits with its check digits.
func (n NationalNumber) String() string {
	body := fmt.Sprintf("%02d%02d%02d%03d", n.Year%100, n.Month, n.Day, n.Seq)
	return fmt.Sprintf("%s%02d", body, nnCheck(body, n.Year >= 2000))
}

// nnCheck is 97 - (first nine digits mod 97); for births from 2000 the
// digits are prefixed with a 2.
func nnCheck(body string, from2000 bool) int {
	v, _ := strconv.ParseInt(body, 10, 64)
	if from2000 {
		v += 2_000_000_000
	}
	return 97 - int(v%97)
}

// ParseNationalNumber checks an 11-digit national number and decodes it;
// the check digits tell whether the holder was born before or from 2000.
func ParseNationalNumber(s string) (NationalNumber, error) {
	if len(s) != 11 || !allDigits(s) {
		return NationalNumber{}, fmt.Errorf("national number %q: want 11 digits YYMMDDSSSCC", s)
	}
	yy, _ := strconv.Atoi(s[0:2])
	mm, _ := strconv.Atoi(s[2:4])
	dd, _ := strconv.Atoi(s[4:6])
	seq, _ := strconv.Atoi(s[6:9])
	cc, _ := strconv.Atoi(s[9:11])
	year := 0
	switch cc {
	case nnCheck(s[:9], false):
		year = 1900 + yy
	case nnCheck(s[:9], true):
		year = 2000 + yy
	default:
		return NationalNumber{}, fmt.Errorf("national number %s: check digits %02d are wrong (expected %02d, or %02d for a birth from 2000)",
			s, cc, nnCheck(s[:9], false), nnCheck(s[:9], true))
	}
	n := NationalNumber{Year: year, Month: mm, Day: dd, Seq: seq}
	if err := n.validDate(); err != nil {
		return NationalNumber{}, fmt.Errorf("national number %s: %w", s, err)
	}
	if seq == 0 || seq == 999 {
		return NationalNumber{}, fmt.Errorf("national number %s: sequence number %03d is outside 001-998", s, seq)
	}
	return n, nil
}

func (n NationalNumber) validDate() error {
	if n.Month > 12 {
		return fmt.Errorf("month %02d is not 00-12 (bis numbers are not supported)", n.Month)
	}
	if n.Month == 0 {
		if n.Day != 0 {
			return fmt.Errorf("day %02d with an unknown month", n.Day)
		}
		return nil
	}
	if n.Day > daysIn(n.Year, n.Month) {
		return fmt.Errorf("day %02d does not exist in %04d-%02d", n.Day, n.Year, n.Month)
	}
	return nil
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// cardNumber makes a card number from a 10-digit (Belgian) or 7-digit
// (foreigner, prefixed "B") body plus two check digits, body mod 97 with
// 0 written as 97.
func cardNumber(body string, foreigner bool) string {
	v, _ := strconv.ParseInt(body, 10, 64)
	c := v % 97
	if c == 0 {
		c = 97
	}
	s := fmt.Sprintf("%s%02d", body, c)
	if foreigner {
		return "B" + s
	}
	return s
}

// checkCardNumber accepts 12 digits (Belgian) or "B" and 9 digits
// (foreigner) with valid check digits.
func checkCardNumber(s string) error {
	body, foreigner := s, false
	if len(s) > 0 && s[0] == 'B' {
		body, foreigner = s[1:], true
	}
	want := 12
	if foreigner {
		want = 9
	}
	if len(body) != want || !allDigits(body) {
		return fmt.Errorf("card number %q: want 12 digits, or B and 9 digits", s)
	}
	if got := cardNumber(body[:want-2], foreigner); got != s {
		return fmt.Errorf("card number %s: check digits are wrong (expected %s)", s, got[len(got)-2:])
	}
	return nil
}
