package virtualcard

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Month abbreviations the card prints in its birth date (beid-card.md
// §5.3), per card language.
var monthNames = map[string][12]string{
	"fr": {"JAN", "FEV", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOUT", "SEPT", "OCT", "NOV", "DEC"},
	"nl": {"JAN", "FEB", "MAAR", "APR", "MEI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEC"},
	"de": {"JAN", "FEB", "MÄR", "APR", "MAI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEZ"},
}

// birthDate is a birth date whose month and day may be unknown (0).
type birthDate struct{ Year, Month, Day int }

// parseBirthDate reads "YYYY-MM-DD" or a bare "YYYY".
func parseBirthDate(s string) (birthDate, error) {
	if len(s) == 4 && allDigits(s) {
		y, _ := strconv.Atoi(s)
		return birthDate{Year: y}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return birthDate{}, fmt.Errorf("birth date %q: want YYYY-MM-DD or YYYY", s)
	}
	return birthDate{t.Year(), int(t.Month()), t.Day()}, nil
}

// yearOnly reports whether only the year is known. A known month without
// a day is treated as year-only too: the card has no such format.
func (b birthDate) yearOnly() bool { return b.Month == 0 || b.Day == 0 }

// ISO is the Options form: "YYYY-MM-DD" or "YYYY".
func (b birthDate) ISO() string {
	if b.yearOnly() {
		return fmt.Sprintf("%04d", b.Year)
	}
	return fmt.Sprintf("%04d-%02d-%02d", b.Year, b.Month, b.Day)
}

// Card formats b as tag 0C: "DD MMMM YYYY" with the month padded to four
// characters in French and Dutch ("01 JAN  1971"), "DD.MMM. YYYY" in
// German ("13.AUG. 1996"), and "YYYY" when only the year is known.
func (b birthDate) Card(lang string) string {
	if b.yearOnly() {
		return fmt.Sprintf("%04d", b.Year)
	}
	m := monthNames[lang][b.Month-1]
	if lang == "de" {
		return fmt.Sprintf("%02d.%s. %04d", b.Day, m, b.Year)
	}
	return fmt.Sprintf("%02d %-4s %04d", b.Day, m, b.Year)
}

// matches reports whether the national number encodes this date.
func (b birthDate) matches(n NationalNumber) bool {
	if n.Year != b.Year {
		return false
	}
	if b.yearOnly() {
		return n.Month == 0 || n.Month == b.Month
	}
	return n.Month == b.Month && n.Day == b.Day
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// cardDate is the card's validity date format, DD.MM.YYYY.
func cardDate(t time.Time) string { return t.Format("02.01.2006") }

// langCode validates a card language.
func langCode(s string) (string, error) {
	l := strings.ToLower(s)
	if _, ok := monthNames[l]; !ok {
		return "", fmt.Errorf("language %q: want nl, fr or de (the card's languages)", s)
	}
	return l, nil
}
