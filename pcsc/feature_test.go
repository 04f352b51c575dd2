package pcsc

import (
	"maps"
	"runtime"
	"strings"
	"testing"
)

func TestGetFeatureRequestCode(t *testing.T) {
	want := uint32(0x42000D48) // pcsc-lite: 0x42000000 + 3400
	if runtime.GOOS == "windows" {
		want = 0x00313520 // 0x31<<16 | 3400<<2
	}
	if getFeatureRequest != want {
		t.Errorf("CM_IOCTL_GET_FEATURE_REQUEST = %08X, want %08X", getFeatureRequest, want)
	}
}

func TestParseFeatures(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Features
	}{
		{"empty", nil, Features{}},
		{"windows example", []byte{0x06, 0x04, 0x00, 0x31, 0x20, 0x30, 0x07, 0x04, 0x00, 0x31, 0x20, 0x34},
			Features{FeatureVerifyPINDirect: 0x00312030, FeatureModifyPINDirect: 0x00312034}},
		{"unknown tags kept", []byte{0x12, 0x04, 0x42, 0x33, 0x00, 0x12, 0x80, 0x04, 0x01, 0x02, 0x03, 0x04},
			Features{FeatureGetTLVProperties: 0x42330012, FeatureEIDAwarePINPad: 0x01020304}},
	}
	for _, tt := range tests {
		got, err := parseFeatures(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !maps.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParseFeaturesRejectsMalformed(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"lone tag", []byte{0x06}, "entry at byte 0 is cut short after 1 byte"},
		{"lone tag after entry", []byte{0x06, 0x04, 0, 0, 0, 1, 0x07}, "entry at byte 6 is cut short"},
		{"length 2", []byte{0x06, 0x02, 0x00, 0x01, 0x07, 0x04}, "feature 06 at byte 0 has length 2, want 4"},
		{"length 5", []byte{0x06, 0x05, 0, 0, 0, 1, 0}, "has length 5, want 4"},
		{"short value", []byte{0x06, 0x04, 0x00, 0x31, 0x20}, "feature 06 at byte 0 is cut short: 3 of 4 value bytes"},
		{"twice", []byte{0x06, 0x04, 0, 0, 0, 1, 0x06, 0x04, 0, 0, 0, 2}, "feature 06 is listed twice"},
	}
	for _, tt := range tests {
		got, err := parseFeatures(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to say %q", tt.name, err, tt.want)
		}
		if got != nil {
			t.Errorf("%s: a malformed list still gave features %v", tt.name, got)
		}
	}
}

func TestFeaturesHas(t *testing.T) {
	fs := Features{FeatureVerifyPINDirect: 0x42330006}
	if !fs.Has(FeatureVerifyPINDirect) || fs.Has(FeatureModifyPINDirect) {
		t.Errorf("Has on %v is wrong", fs)
	}
}
