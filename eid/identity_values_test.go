package eid

import (
	"strings"
	"testing"
)

// identityWith is the citizen identity with some tags replaced or added.
func identityWith(over ...TLVField) []byte {
	byTag := map[byte]TLVField{}
	for _, f := range citizenFields(make([]byte, 20)) {
		byTag[f.Tag] = f
	}
	for _, f := range over {
		byTag[f.Tag] = f
	}
	var fields []TLVField
	for _, f := range byTag {
		fields = append(fields, f)
	}
	return encodeSorted(fields...)
}

func TestParseIdentityBadValues(t *testing.T) {
	tests := []struct {
		name  string
		field TLVField
		want  string
	}{
		{"surname not UTF-8", TLVField{Tag: 0x07, Value: []byte{'D', 0xE9}}, "tag 07 (surname) at offset"},
		{"validity start not DD.MM.YYYY", tlvOf(0x03, "2021-03-15"), `tag 03 (validity start) at offset 32: date "2021-03-15": want DD.MM.YYYY`},
		{"validity end impossible", tlvOf(0x04, "31.02.2031"), "tag 04 (validity end)"},
		{"birth date", tlvOf(0x0C, "31 FEB 1990"), `birth date "31 FEB 1990": day 31 does not exist in month 2 of 1990`},
		{"document type", tlvOf(0x0F, "A"), `tag 0F (document type) at offset`},
		{"special status", tlvOf(0x10, "X"), `special status "X": want a number`},
		{"protection without country", tlvOf(0x15, "13.08.2014"), "tag 15 (date and country of protection)"},
		{"protection lower-case country", tlvOf(0x15, "13.08.2014-it"), "2-letter country code"},
		{"protection bad date", tlvOf(0x15, "2014.08.13-IT"), `date "2014.08.13": want DD.MM.YYYY`},
		{"EU start date", tlvOf(0x1F, "1.2.2022"), "tag 1F (EU start date)"},
		{"structure version too long", TLVField{Tag: 0x00, Value: []byte{0, 0, 2}}, "tag 00 (structure version) at offset 0: structure version is 3 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseIdentity(identityWith(tc.field))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "identity file: ") {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseIdentitySex(t *testing.T) {
	for raw, want := range map[string]Sex{"M": SexMale, "F": SexFemale, "V": SexFemale, "W": SexFemale, "X": SexUnknown, "": SexUnknown} {
		id, err := ParseIdentity(identityWith(tlvOf(0x0D, raw)))
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		if id.Sex != want || id.SexRaw != raw {
			t.Errorf("sex %q = %q (raw %q), want %q", raw, id.Sex, id.SexRaw, want)
		}
	}
}

func TestParseSpecialStatus(t *testing.T) {
	tests := []struct {
		raw                         string
		code                        int
		white, yellow, minor, known bool
	}{
		{"", 0, false, false, false, true},
		{"0", 0, false, false, false, true},
		{"1", 1, true, false, false, true},
		{"2", 2, false, false, true, true},
		{"3", 3, true, false, true, true},
		{"4", 4, false, true, false, true},
		{"5", 5, false, true, true, true},
		{"7", 7, false, false, false, false},
	}
	for _, tc := range tests {
		s, err := ParseSpecialStatus(tc.raw)
		if err != nil {
			t.Fatalf("%q: %v", tc.raw, err)
		}
		if s.Code != tc.code || s.WhiteCane != tc.white || s.YellowCane != tc.yellow ||
			s.ExtendedMinority != tc.minor || s.Known != tc.known || s.Raw != tc.raw {
			t.Errorf("%q = %+v", tc.raw, s)
		}
	}
}

func TestParseIdentityTrimsTrailingSpaces(t *testing.T) {
	id, err := ParseIdentity(identityWith(tlvOf(0x07, " De Smet   "), tlvOf(0x0E, "Comtesse "), tlvOf(0x01, "B123456789  ")))
	if err != nil {
		t.Fatal(err)
	}
	if id.Surname != " De Smet" || id.NobleCondition != "Comtesse" || id.CardNumber != "B123456789" {
		t.Errorf("surname %q, noble %q, card %q: want trailing spaces gone, leading kept", id.Surname, id.NobleCondition, id.CardNumber)
	}
}

func TestParseIdentityGermanCard(t *testing.T) {
	id, err := ParseIdentity(identityWith(tlvOf(0x0C, "22.DEZ. 1997"), tlvOf(0x0D, "W"), tlvOf(0x0F, "1"), tlvOf(0x10, "4")))
	if err != nil {
		t.Fatal(err)
	}
	if id.BirthDate.String() != "1997-12-22" || id.Sex != SexFemale || id.DocumentType.Code != 1 || !id.SpecialStatus.YellowCane {
		t.Errorf("German card decoded as %+v", id)
	}
}
