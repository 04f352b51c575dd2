package eid

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"
)

var nlMonths = []string{"", "JAN", "FEB", "MAAR", "APR", "MEI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEC"}

// formatBirthDate writes d the way a Dutch card would, blanks for unknowns.
func formatBirthDate(d BirthDate) string {
	day := "  "
	if d.Day > 0 {
		day = fmt.Sprintf("%02d", d.Day)
	}
	return fmt.Sprintf("%s %-4s %04d", day, nlMonths[d.Month], d.Year)
}

func FuzzBirthDate(f *testing.F) {
	for _, s := range []string{"01 JAN 1971", "1 JAN 1971", "21 DEC  1981", "13.AUG. 1996", "1950", "   JAN 1950", "05.MÄR. 1980"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseBirthDate(s)
		if err != nil {
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", s)) {
				t.Fatalf("error %q does not name the raw value", err)
			}
			return
		}
		if d.Raw != s || d.Year < 1 || d.Year > 9999 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 {
			t.Fatalf("%q = %+v", s, d)
		}
		if tm, ok := d.Time(); ok && (tm.Year() != d.Year || int(tm.Month()) != d.Month || tm.Day() != d.Day) {
			t.Fatalf("%q: Time %v differs from %+v", s, tm, d)
		}
		again, err := ParseBirthDate(formatBirthDate(d))
		if err != nil || again.Year != d.Year || again.Month != d.Month || again.Day != d.Day {
			t.Fatalf("%q re-formatted as %q parses to %+v, %v", s, formatBirthDate(d), again, err)
		}
	})
}

func FuzzParseNationalNumber(f *testing.F) {
	for _, s := range []string{"67063029659", "05011512353", "85473003317", "85000003306", "67063029658"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNationalNumber(s)
		if err != nil {
			return
		}
		if n.Digits != s || len(n.String()) != 15 || n.Month > 12 || n.Day > 31 || n.Year < 1900 || n.Year > 2099 {
			t.Fatalf("%q = %+v", s, n)
		}
		if strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(n.String(), ".", ""), "-", ""), " ", "") != s {
			t.Fatalf("display %q does not hold %q", n, s)
		}
	})
}

func FuzzParseCertificateFile(f *testing.F) {
	p := getPKI(f)
	f.Add(padCert(p.rrnRSACert.Raw, 50))
	f.Add(padCert(p.auth.Raw, 20))
	f.Add(make([]byte, 64))
	f.Add([]byte{0x30, 0x83, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCertificateFile(b)
		if isAllZero(b) != errors.Is(err, ErrNoCertificate) {
			t.Fatalf("all zero = %v but err = %v", isAllZero(b), err)
		}
		if err != nil {
			return
		}
		if again, err := x509.ParseCertificate(c.Raw); err != nil || !strings.HasPrefix(string(b), string(c.Raw)) || !again.Equal(c) {
			t.Fatalf("certificate is not the DER at the start of the file: %v", err)
		}
	})
}
