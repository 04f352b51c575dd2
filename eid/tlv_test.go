package eid

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseTLV(t *testing.T) {
	b := []byte{0x01, 0x03, 'a', 'b', 'c', 0x02, 0x00, 0x05, 0x01, 'x', 0x00, 0x00, 0x00}
	fields, err := ParseTLV(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []TLVField{{0x01, 0, []byte("abc")}, {0x02, 5, []byte{}}, {0x05, 7, []byte("x")}}
	assertFields(t, fields, want)
	// A value must not let an append overwrite the following bytes.
	_ = append(fields[0].Value, 'Z')
	if b[5] != 0x02 {
		t.Error("appending to a value overwrote the buffer")
	}
}

func assertFields(t *testing.T, got, want []TLVField) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d fields %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i].Tag != want[i].Tag || got[i].Offset != want[i].Offset || !bytes.Equal(got[i].Value, want[i].Value) {
			t.Errorf("field %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParseTLVPaddingAndVersion(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []TLVField
	}{
		{"empty", nil, nil},
		{"all zeros is a version-0 header then padding", make([]byte, 8), []TLVField{{0x00, 0, []byte{}}}},
		{"leading structure version", []byte{0x00, 0x02, 0x00, 0x02, 0x01, 0x01, 'a'},
			[]TLVField{{0x00, 0, []byte{0x00, 0x02}}, {0x01, 4, []byte("a")}}},
		{"data after the padding is not read", []byte{0x01, 0x01, 'a', 0x00, 0x05, 0x07, 0x01},
			[]TLVField{{0x01, 0, []byte("a")}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTLV(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			assertFields(t, got, tc.want)
		})
	}
}

func TestTLVLengths(t *testing.T) {
	tests := []struct {
		n      int
		prefix []byte
	}{
		{0, []byte{0x00}}, {127, []byte{0x7F}}, {254, []byte{0xFE}},
		{255, []byte{0xFF, 0x00}}, {300, []byte{0xFF, 0x2D}}, {510, []byte{0xFF, 0xFF, 0x00}},
	}
	for _, tc := range tests {
		v := bytes.Repeat([]byte{'x'}, tc.n)
		enc := EncodeTLV([]TLVField{{Tag: 0x07, Value: v}})
		if !bytes.Equal(enc[1:1+len(tc.prefix)], tc.prefix) {
			t.Errorf("length %d encoded as % X, want % X", tc.n, enc[1:1+len(tc.prefix)], tc.prefix)
		}
		got, err := ParseTLV(enc)
		if err != nil || len(got) != 1 || !bytes.Equal(got[0].Value, v) {
			t.Errorf("length %d: round trip = %v, %v", tc.n, got, err)
		}
	}
}

func TestParseTLVErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"value truncated", []byte{0x01, 0x01, 'a', 0x02, 0x05, 'a', 'b'},
			"tag 02 at offset 3: value of 5 bytes at offset 5 runs past the end (2 bytes left)"},
		{"length missing", []byte{0x01}, "tag 01 at offset 0: length at offset 1 is truncated"},
		{"escaped length truncated", []byte{0x01, 0xFF, 0xFF}, "length at offset 1 is truncated"},
		{"tags out of order", []byte{0x02, 0x00, 0x01, 0x00}, "tag 01 at offset 2 does not follow tag 02"},
		{"duplicate tag", []byte{0x03, 0x00, 0x03, 0x00}, "tag 03 at offset 2 does not follow tag 03"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTLV(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestRstripZeros(t *testing.T) {
	in := []byte{0x01, 0x00, 0x02, 0x00, 0x00}
	if got := rstripZeros(in); !bytes.Equal(got, []byte{0x01, 0x00, 0x02}) {
		t.Errorf("rstripZeros = % X: only trailing zeros go", got)
	}
	if got := rstripZeros(make([]byte, 3)); len(got) != 0 {
		t.Errorf("rstripZeros(zeros) = % X", got)
	}
}
