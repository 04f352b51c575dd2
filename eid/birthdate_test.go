package eid

import (
	"strings"
	"testing"
	"time"
)

func TestParseBirthDate(t *testing.T) {
	tests := []struct {
		raw       string
		y, m, d   int
		formatted string
	}{
		{"01 JAN 1971", 1971, 1, 1, "1971-01-01"},
		{"1 JAN 1971", 1971, 1, 1, "1971-01-01"},
		{"21 DEC  1981", 1981, 12, 21, "1981-12-21"},
		{"24 MAAR 1969", 1969, 3, 24, "1969-03-24"},
		{"07 SEPT 2003", 2003, 9, 7, "2003-09-07"},
		{"13.AUG. 1996", 1996, 8, 13, "1996-08-13"},
		{"22.DEZ. 1997", 1997, 12, 22, "1997-12-22"},
		{"05.MÄR. 1980", 1980, 3, 5, "1980-03-05"},
		{"05.MRZ. 1980", 1980, 3, 5, "1980-03-05"},
		{"05 MARS 1980", 1980, 3, 5, "1980-03-05"},
		{"05 MAR 1980", 1980, 3, 5, "1980-03-05"},
		{"10 FÉV 1955", 1955, 2, 10, "1955-02-10"},
		{"10 FEV 1955", 1955, 2, 10, "1955-02-10"},
		{"10 FEB 1955", 1955, 2, 10, "1955-02-10"},
		{"29 FEB 2000", 2000, 2, 29, "2000-02-29"},
		{"15 AVR 1990", 1990, 4, 15, "1990-04-15"},
		{"15 APR 1990", 1990, 4, 15, "1990-04-15"},
		{"15 MAI 1990", 1990, 5, 15, "1990-05-15"},
		{"15 MEI 1990", 1990, 5, 15, "1990-05-15"},
		{"15 JUIN 1990", 1990, 6, 15, "1990-06-15"},
		{"15 JUN 1990", 1990, 6, 15, "1990-06-15"},
		{"15 JUIL 1990", 1990, 7, 15, "1990-07-15"},
		{"15 JUL 1990", 1990, 7, 15, "1990-07-15"},
		{"15 AOUT 1990", 1990, 8, 15, "1990-08-15"},
		{"15 AOÛT 1990", 1990, 8, 15, "1990-08-15"},
		{"15 SEP 1990", 1990, 9, 15, "1990-09-15"},
		{"15 OCT 1990", 1990, 10, 15, "1990-10-15"},
		{"15 OKT 1990", 1990, 10, 15, "1990-10-15"},
		{"15 NOV 1990", 1990, 11, 15, "1990-11-15"},
		{"15.OKT. 1990", 1990, 10, 15, "1990-10-15"},
		{"15 jan 1990", 1990, 1, 15, "1990-01-15"},
		{"1950", 1950, 0, 0, "1950"},
		{"    1950", 1950, 0, 0, "1950"},
		{"   JAN 1950", 1950, 1, 0, "1950-01"},
		{"12      1950", 1950, 0, 12, "1950-00-12"},
		{"01.02.1971", 1971, 2, 1, "1971-02-01"},
	}
	for _, tc := range tests {
		d, err := ParseBirthDate(tc.raw)
		if err != nil {
			t.Errorf("%q: %v", tc.raw, err)
			continue
		}
		if d.Year != tc.y || d.Month != tc.m || d.Day != tc.d || d.Raw != tc.raw || d.String() != tc.formatted {
			t.Errorf("%q = %+v (%s), want %d-%d-%d %s", tc.raw, d, d, tc.y, tc.m, tc.d, tc.formatted)
		}
		tm, ok := d.Time()
		if ok != d.Complete() || ok != (tc.m > 0 && tc.d > 0) {
			t.Errorf("%q: Time ok = %v, Complete = %v", tc.raw, ok, d.Complete())
		}
		if ok && !tm.Equal(time.Date(tc.y, time.Month(tc.m), tc.d, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%q: Time = %v", tc.raw, tm)
		}
	}
}

func TestParseBirthDateErrors(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"", "empty"},
		{"   ", "empty"},
		{"01 XYZ 1971", `unknown month "XYZ"`},
		{"01 JAN 71", `year "71" is not 4 digits`},
		{"01 JAN 0000", "is zero"},
		{"32 JAN 1971", "day 32 out of range"},
		{"001 JAN 1971", "not 1 or 2 digits"},
		{"30 FEB 1971", "day 30 does not exist in month 2 of 1971"},
		{"29 FEB 1900", "does not exist"},
		{"01.13.1971", "month 13 out of range"},
		{"1 2 3 1971", "too many parts"},
		{"JAN 01 1971", "not 1 or 2 digits"},
	}
	for _, tc := range tests {
		_, err := ParseBirthDate(tc.raw)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `"`+tc.raw+`"`) {
			t.Errorf("%q: err = %v, want the raw value and %q", tc.raw, err, tc.want)
		}
	}
}
