package virtualcard

import "testing"

func TestBirthDateCardFormat(t *testing.T) {
	for _, tc := range []struct {
		iso, lang, want string
	}{
		{"1971-01-01", "nl", "01 JAN  1971"},
		{"1969-03-24", "nl", "24 MAAR 1969"},
		{"2003-09-07", "fr", "07 SEPT 2003"},
		{"1981-12-21", "fr", "21 DEC  1981"},
		{"1996-08-13", "de", "13.AUG. 1996"},
		{"1985-03-14", "de", "14.MÄR. 1985"},
		{"1997-12-22", "de", "22.DEZ. 1997"},
		{"1950", "nl", "1950"},
		{"1950", "de", "1950"},
	} {
		bd, err := parseBirthDate(tc.iso)
		if err != nil {
			t.Fatalf("%s: %v", tc.iso, err)
		}
		if got := bd.Card(tc.lang); got != tc.want {
			t.Errorf("%s in %s = %q, want %q", tc.iso, tc.lang, got, tc.want)
		}
		if bd.ISO() != tc.iso {
			t.Errorf("ISO() = %s, want %s", bd.ISO(), tc.iso)
		}
	}
}

func TestParseBirthDateRefuses(t *testing.T) {
	for _, in := range []string{"14/03/1985", "1985-02-30", "85", "19500"} {
		if _, err := parseBirthDate(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}
