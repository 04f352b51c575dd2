package eid

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// BirthDate is the birth date of tag 0C as written on the card. Month and
// Day are 0 when the card leaves them blank (only the year is known).
type BirthDate struct {
	Year  int    `json:"year"`
	Month int    `json:"month"` // 1..12, 0 when unknown
	Day   int    `json:"day"`   // 1..31, 0 when unknown
	Raw   string `json:"raw"`
}

// Complete reports whether year, month and day are all known.
func (d BirthDate) Complete() bool { return d.Year > 0 && d.Month > 0 && d.Day > 0 }

// Time returns the date at 00:00 UTC when it is complete. A birth date is
// a calendar date, not an instant, so no time zone is implied.
func (d BirthDate) Time() (time.Time, bool) {
	if !d.Complete() {
		return time.Time{}, false
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC), true
}

// String is the ISO 8601 form with the unknown parts left out
// ("1971-01-01", "1971-03", "1950"); a known day in an unknown month
// shows the month as 00.
func (d BirthDate) String() string {
	switch {
	case d.Month == 0 && d.Day == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// birthMonths maps the upper-cased month abbreviations of the three card
// languages (beid-card.md §5.3), plus spellings seen in the wild or easily
// produced (accents dropped, "MRZ", "MÄRZ"), to month numbers.
var birthMonths = map[string]int{
	"JAN": 1, "JANV": 1,
	"FEV": 2, "FÉV": 2, "FEVR": 2, "FÉVR": 2, "FEB": 2,
	"MARS": 3, "MAAR": 3, "MÄR": 3, "MAR": 3, "MRZ": 3, "MÄRZ": 3, "MAER": 3, "MAERZ": 3,
	"AVR": 4, "APR": 4,
	"MAI": 5, "MEI": 5, "MAY": 5,
	"JUIN": 6, "JUN": 6,
	"JUIL": 7, "JUL": 7,
	"AOUT": 8, "AOÛT": 8, "AOU": 8, "AOÛ": 8, "AUG": 8,
	"SEPT": 9, "SEP": 9,
	"OCT": 10, "OKT": 10,
	"NOV": 11,
	"DEC": 12, "DÉC": 12, "DEZ": 12,
}

// ParseBirthDate reads tag 0C tolerantly: "01 JAN 1971", "1 JAN 1971",
// "21 DEC  1981", "24 MAAR 1969", "07 SEPT 2003", German "13.AUG. 1996",
// "1950" (year only) and blank day or month fields. Dots count as
// separators, the last field is the 4-digit year, and a purely numeric
// month ("01.02.1971") is accepted too although no card is known to use it.
func ParseBirthDate(s string) (BirthDate, error) {
	d := BirthDate{Raw: s}
	fields := strings.Fields(strings.ReplaceAll(s, ".", " "))
	if len(fields) == 0 {
		return d, fmt.Errorf("birth date %q: empty", s)
	}
	if len(fields) > 3 {
		return d, fmt.Errorf("birth date %q: too many parts", s)
	}
	year, err := birthYear(fields[len(fields)-1])
	if err != nil {
		return d, fmt.Errorf("birth date %q: %w", s, err)
	}
	d.Year = year
	rest := fields[:len(fields)-1]
	switch {
	case len(rest) == 2:
		d.Day, err = birthDay(rest[0])
		if err == nil {
			d.Month, err = birthMonth(rest[1])
		}
	case len(rest) == 1 && allDigits(rest[0]):
		d.Day, err = birthDay(rest[0]) // blank month
	case len(rest) == 1:
		d.Month, err = birthMonth(rest[0]) // blank day
	}
	if err == nil {
		err = checkDayInMonth(d)
	}
	if err != nil {
		return d, fmt.Errorf("birth date %q: %w", s, err)
	}
	return d, nil
}

func birthYear(f string) (int, error) {
	if len(f) != 4 || !allDigits(f) {
		return 0, fmt.Errorf("year %q is not 4 digits", f)
	}
	y, _ := strconv.Atoi(f)
	if y == 0 {
		return 0, fmt.Errorf("year %q is zero", f)
	}
	return y, nil
}

func birthDay(f string) (int, error) {
	if len(f) > 2 || !allDigits(f) {
		return 0, fmt.Errorf("day %q is not 1 or 2 digits", f)
	}
	day, _ := strconv.Atoi(f)
	if day < 1 || day > 31 {
		return 0, fmt.Errorf("day %d out of range", day)
	}
	return day, nil
}

func birthMonth(f string) (int, error) {
	if allDigits(f) && len(f) <= 2 {
		m, _ := strconv.Atoi(f)
		if m < 1 || m > 12 {
			return 0, fmt.Errorf("month %d out of range", m)
		}
		return m, nil
	}
	if m, ok := birthMonths[strings.ToUpper(f)]; ok {
		return m, nil
	}
	return 0, fmt.Errorf("unknown month %q", f)
}

// checkDayInMonth rejects dates such as 30 FEB once the month is known.
func checkDayInMonth(d BirthDate) error {
	if d.Day == 0 || d.Month == 0 {
		return nil
	}
	t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	if t.Day() != d.Day {
		return fmt.Errorf("day %d does not exist in month %d of %d", d.Day, d.Month, d.Year)
	}
	return nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
