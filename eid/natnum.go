package eid

import (
	"fmt"
	"strconv"
	"time"
)

// NationalNumber is a Belgian national register number (tag 06, and the
// serialNumber of the user certificates): YYMMDDSSSCC.
//
// The check-digit rule is general knowledge, not taken from the card
// sources: CC = 97 − (YYMMDDSSS mod 97), computed over "2"+YYMMDDSSS for
// people born in 2000 or later. Whichever variant matches fixes the
// century. The same holds for the BIS-number conventions below.
type NationalNumber struct {
	Digits   string // the 11 digits as given
	Year     int    // full year: the check digits fix the century
	Month    int    // 1..12, 0 when the birth month is unknown
	Day      int    // 1..31, 0 when the birth day is unknown
	Sequence int    // SSS: odd for men, even for women
	Check    int    // CC
	// BIS is set for BIS numbers, given to people not in the National
	// Register: their month carries +40 when the sex was known at
	// allocation and +20 when it was not (so Sex is then unknown).
	BIS bool
	Sex Sex
}

// ParseNationalNumber validates an 11-digit national number and its check
// digits and decodes it.
func ParseNationalNumber(s string) (NationalNumber, error) {
	if len(s) != 11 || !allDigits(s) {
		return NationalNumber{}, fmt.Errorf("national number %q: want 11 digits", s)
	}
	base, _ := strconv.Atoi(s[:9])
	check, _ := strconv.Atoi(s[9:])
	n := NationalNumber{Digits: s, Check: check}
	switch {
	case 97-base%97 == check:
		n.Year = 1900
	case 97-(2_000_000_000+base)%97 == check:
		n.Year = 2000
	default:
		return NationalNumber{}, fmt.Errorf("national number %q: check digits %02d match neither the 19xx value %02d nor the 20xx value %02d",
			s, check, 97-base%97, 97-(2_000_000_000+base)%97)
	}
	yy, _ := strconv.Atoi(s[0:2])
	mm, _ := strconv.Atoi(s[2:4])
	n.Year += yy
	n.Day, _ = strconv.Atoi(s[4:6])
	n.Sequence, _ = strconv.Atoi(s[6:9])
	n.Sex = SexFemale
	if n.Sequence%2 == 1 {
		n.Sex = SexMale
	}
	switch {
	case mm >= 40:
		n.BIS, mm = true, mm-40
	case mm >= 20:
		n.BIS, mm, n.Sex = true, mm-20, SexUnknown
	}
	n.Month = mm
	if err := n.checkDate(); err != nil {
		return NationalNumber{}, fmt.Errorf("national number %q: %w", s, err)
	}
	return n, nil
}

// checkDate rejects impossible months and days; 00 means unknown.
func (n NationalNumber) checkDate() error {
	if n.Month > 12 {
		return fmt.Errorf("month field %s is not a month (1..12, +20 or +40 for BIS numbers)", n.Digits[2:4])
	}
	if n.Day > 31 {
		return fmt.Errorf("day %d out of range", n.Day)
	}
	if n.Month > 0 && n.Day > 0 {
		t := time.Date(n.Year, time.Month(n.Month), n.Day, 0, 0, 0, 0, time.UTC)
		if t.Day() != n.Day {
			return fmt.Errorf("day %d does not exist in month %d of %d", n.Day, n.Month, n.Year)
		}
	}
	return nil
}

// BirthDate returns the birth date the number encodes; Month and Day are 0
// when the number marks them unknown, and Raw holds YYMMDD as written.
func (n NationalNumber) BirthDate() BirthDate {
	return BirthDate{Year: n.Year, Month: n.Month, Day: n.Day, Raw: n.Digits[:6]}
}

// String is the display form YY.MM.DD-SSS.CC.
func (n NationalNumber) String() string {
	d := n.Digits
	if len(d) != 11 {
		return d
	}
	return d[0:2] + "." + d[2:4] + "." + d[4:6] + "-" + d[6:9] + "." + d[9:11]
}
