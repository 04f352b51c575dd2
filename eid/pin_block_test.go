package eid

import (
	"encoding/hex"
	"errors"
	"testing"
)

func TestPINBlock(t *testing.T) {
	tests := []struct{ pin, block string }{
		{"1234", "241234FFFFFFFFFF"},
		{"12345", "2512345FFFFFFFFF"},
		{"0000", "240000FFFFFFFFFF"},
		{"987654", "26987654FFFFFFFF"},
		{"123456789012", "2C123456789012FF"},
	}
	for _, tt := range tests {
		if err := checkPINFormat([]byte(tt.pin)); err != nil {
			t.Errorf("checkPINFormat(%q): %v", tt.pin, err)
		}
		b := pinBlock([]byte(tt.pin))
		if got := hex.EncodeToString(b[:]); got != hexLower(tt.block) {
			t.Errorf("pinBlock(%q) = %s, want %s", tt.pin, got, tt.block)
		}
	}
}

func hexLower(s string) string {
	b, _ := hex.DecodeString(s)
	return hex.EncodeToString(b)
}

func TestPINPadTemplates(t *testing.T) {
	if got := pinPadVerifyTemplate().String(); got != "00 20 00 01 08 20 FF FF FF FF FF FF FF" {
		t.Errorf("verify template %s", got)
	}
	want := "00 24 00 01 10 20 FF FF FF FF FF FF FF 20 FF FF FF FF FF FF FF"
	if got := pinPadModifyTemplate().String(); got != want {
		t.Errorf("modify template %s, want %s", got, want)
	}
}

func TestCheckPINFormat(t *testing.T) {
	for _, pin := range []string{"", "1", "123", "1234567890123", "abcd", "12.4", "-123", "1234 "} {
		if err := checkPINFormat([]byte(pin)); !errors.Is(err, ErrPINFormat) {
			t.Errorf("checkPINFormat(%q) = %v, want ErrPINFormat", pin, err)
		}
	}
}
