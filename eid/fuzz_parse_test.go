package eid

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzTLV(f *testing.F) {
	id, _, _ := fullIdentity()
	f.Add(id)
	f.Add(addressFile("Wetstraat 16"))
	f.Add(EncodeTLV([]TLVField{{Tag: 0x00, Value: []byte{0, 2}}, {Tag: 0x01, Value: bytes.Repeat([]byte{'x'}, 300)}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		fields, err := ParseTLV(b)
		if err != nil {
			return
		}
		for i, fl := range fields {
			if fl.Offset >= len(b) || b[fl.Offset] != fl.Tag {
				t.Fatalf("field %d: offset %d does not hold tag %02X", i, fl.Offset, fl.Tag)
			}
			if i > 0 && (fl.Tag <= fields[i-1].Tag || fl.Tag == 0) {
				t.Fatalf("field %d: tag %02X after %02X", i, fl.Tag, fields[i-1].Tag)
			}
		}
		// Lengths have one encoding only, so re-encoding gives back the
		// bytes that were read, and anything after them is padding.
		enc := EncodeTLV(fields)
		if !bytes.HasPrefix(b, enc) {
			t.Fatalf("re-encoded % X is not a prefix of % X", enc, b)
		}
		if rest := b[len(enc):]; len(rest) > 0 && rest[0] != 0 {
			t.Fatalf("parsing stopped at non-zero byte %02X", rest[0])
		}
	})
}

func FuzzParseIdentity(f *testing.F) {
	id, _, _ := fullIdentity()
	f.Add(id)
	f.Add(identityWith(tlvOf(0x0C, "22.DEZ. 1997"), tlvOf(0x0D, "W"), tlvOf(0x0F, "1")))
	f.Add(append([]byte{0x00, 0x02, 0x00, 0x02}, identityWith()...))
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := ParseIdentity(b)
		if err != nil {
			if id != nil {
				t.Fatal("identity returned with an error")
			}
			return
		}
		checkTextFields(t, reflect.ValueOf(*id))
		if id.PhotoHash == nil || id.BirthDate.Year < 1 || id.BirthDate.Month > 12 || id.BirthDate.Day > 31 {
			t.Fatalf("implausible identity %+v", id)
		}
		padded, err := ParseIdentity(append(bytes.Clone(b), make([]byte, 16)...))
		if err != nil || !reflect.DeepEqual(padded, id) {
			t.Fatalf("zero padding changed the result: %v", err)
		}
		if _, err := json.Marshal(id); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzParseAddress(f *testing.F) {
	f.Add(addressFile("Wetstraat 16"))
	f.Add(addressFile("Rue de l'Église 5 bte 2   "))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseAddress(b)
		if err != nil {
			return
		}
		checkTextFields(t, reflect.ValueOf(*a))
		padded, err := ParseAddress(append(bytes.Clone(b), make([]byte, 16)...))
		if err != nil || !reflect.DeepEqual(padded, a) {
			t.Fatalf("zero padding changed the result: %v", err)
		}
	})
}

// checkTextFields asserts every string field is UTF-8 without trailing
// spaces, the promise the parsers make.
func checkTextFields(t *testing.T, v reflect.Value) {
	t.Helper()
	for i := 0; i < v.NumField(); i++ {
		fv := v.Field(i)
		if fv.Kind() != reflect.String || v.Type().Field(i).Name == "Raw" {
			continue
		}
		s := fv.String()
		if !utf8.ValidString(s) || strings.HasSuffix(s, " ") {
			t.Fatalf("field %s = %q", v.Type().Field(i).Name, s)
		}
	}
}
