package virtualcard

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestEncodeDecodeTLVRoundTrip(t *testing.T) {
	in := []TLV{{0x01, []byte("592123456789")}, {0x09, nil}, {0x0C, []byte("14.MÄR. 1985")}, {0x14, []byte{}}, {0x1A, bytes.Repeat([]byte{0xAB}, 127)}}
	enc, err := EncodeTLV(in)
	if err != nil {
		t.Fatal(err)
	}
	padded := append(enc, make([]byte, 20)...)
	out, err := DecodeTLV(padded)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("decoded %d fields, want %d", len(out), len(in))
	}
	for i := range in {
		if out[i].Tag != in[i].Tag || !bytes.Equal(out[i].Value, in[i].Value) {
			t.Errorf("field %d = %02X %q, want %02X %q", i, out[i].Tag, out[i].Value, in[i].Tag, in[i].Value)
		}
	}
	if v, ok := FindTLV(out, 0x14); !ok || len(v) != 0 {
		t.Errorf("empty tag 14: present=%v len=%d, want present and empty", ok, len(v))
	}
	if _, ok := FindTLV(out, 0x15); ok {
		t.Error("absent tag 15 reported present")
	}
}

// The card's length rule: FF bytes add 255 each until a non-FF byte.
func TestDecodeTLVEscapedLengths(t *testing.T) {
	for _, tc := range []struct {
		lenBytes []byte
		n        int
	}{
		{[]byte{0xFE}, 254},
		{[]byte{0xFF, 0x00}, 255},
		{[]byte{0xFF, 0x2D}, 300},
		{[]byte{0xFF, 0xFF, 0x00}, 510},
	} {
		file := append(append([]byte{0x05}, tc.lenBytes...), bytes.Repeat([]byte{'x'}, tc.n)...)
		f, err := DecodeTLV(file)
		if err != nil {
			t.Fatalf("length % X: %v", tc.lenBytes, err)
		}
		if len(f) != 1 || len(f[0].Value) != tc.n {
			t.Errorf("length % X: got %d fields, first %d bytes; want one of %d", tc.lenBytes, len(f), len(f[0].Value), tc.n)
		}
		if got := appendTLVLen(nil, tc.n); !bytes.Equal(got, tc.lenBytes) {
			t.Errorf("appendTLVLen(%d) = % X, want % X", tc.n, got, tc.lenBytes)
		}
	}
}

func TestEncodeTLVRefuses(t *testing.T) {
	for name, in := range map[string][]TLV{
		"descending": {{0x02, nil}, {0x01, nil}},
		"duplicate":  {{0x02, nil}, {0x02, nil}},
		"too long":   {{0x07, bytes.Repeat([]byte{'a'}, 128)}},
	} {
		if _, err := EncodeTLV(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDecodeTLVTruncated(t *testing.T) {
	for _, file := range [][]byte{{0x01}, {0x01, 0x05, 'a'}, {0x01, 0xFF}} {
		_, err := DecodeTLV(file)
		if !errors.Is(err, errTruncated) {
			t.Errorf("% X: err = %v, want truncated", file, err)
		}
	}
	if _, err := DecodeTLV([]byte{0x01, 0x05, 'a'}); err == nil || !strings.Contains(err.Error(), "tag 01") {
		t.Errorf("error %v does not name the tag", err)
	}
}
