package eid

import (
	"errors"
	"testing"
)

func TestParseAddress(t *testing.T) {
	a, err := ParseAddress(addressFile("Rue de la Loi 16      "))
	if err != nil {
		t.Fatal(err)
	}
	if a.StreetAndNumber != "Rue de la Loi 16" || a.ZIP != "1000" || a.Municipality != "Brussel" {
		t.Errorf("address = %+v", a)
	}
	if a.StructureVersion != nil || a.Unknown != nil {
		t.Errorf("version %v, unknown %v: want none", a.StructureVersion, a.Unknown)
	}
}

func TestParseAddressVersionAndUnknown(t *testing.T) {
	b := encodeSorted(TLVField{Tag: 0x00, Value: []byte{0x00, 0x02}},
		tlvOf(0x01, "Kerkstraat 1 bus 3"), tlvOf(0x02, "9000"), tlvOf(0x03, "Gent"), tlvOf(0x04, "extra"))
	a, err := ParseAddress(append(b, make([]byte, 30)...))
	if err != nil {
		t.Fatal(err)
	}
	if a.StructureVersion == nil || *a.StructureVersion != 2 || string(a.Unknown[0x04]) != "extra" || a.Municipality != "Gent" {
		t.Errorf("address = %+v", a)
	}
}

func TestParseAddressErrors(t *testing.T) {
	var missing *MissingTagError
	_, err := ParseAddress(encodeSorted(tlvOf(0x01, "Wetstraat 16"), tlvOf(0x03, "Brussel")))
	if !errors.As(err, &missing) || missing.Tag != 0x02 || err.Error() != "address file: required tag 02 (ZIP code) is missing" {
		t.Errorf("no ZIP: err = %v", err)
	}
	if _, err := ParseAddress(make([]byte, addressFileSize)); !errors.As(err, &missing) || missing.Tag != 0x01 {
		t.Errorf("all zeros: err = %v, want tag 01 missing", err)
	}
	if _, err := ParseAddress([]byte{0x01, 0x10, 'W'}); err == nil {
		t.Error("truncated file parsed")
	}
	if _, err := ParseAddress(encodeSorted(TLVField{Tag: 0x01, Value: []byte{0xC3}}, tlvOf(0x02, "1000"), tlvOf(0x03, "B"))); err == nil {
		t.Error("non-UTF-8 street parsed")
	}
}
