package eid

import "testing"

func TestParseDocumentType(t *testing.T) {
	tests := []struct {
		raw  string
		code int
		name string
	}{
		{"1", 1, "Belgian citizen eID"},
		{"01", 1, "Belgian citizen eID"},
		{"6", 6, "Kids ID (under 12)"},
		{"06", 6, "Kids ID (under 12)"},
		{"11", 11, "A-card"},
		{"19", 19, "H-card (European blue card)"},
		{"31", 31, "EU card"},
		{"32", 32, "EU+ card"},
		{"69", 69, "Kids foreigner card, M"},
		{"99", 99, ""}, // unknown codes are kept, not rejected
	}
	for _, tc := range tests {
		d, err := ParseDocumentType(tc.raw)
		if err != nil {
			t.Errorf("%q: %v", tc.raw, err)
			continue
		}
		if d.Code != tc.code || d.Name != tc.name || d.Raw != tc.raw {
			t.Errorf("%q = %+v, want code %d %q", tc.raw, d, tc.code, tc.name)
		}
	}
	for _, bad := range []string{"", "A", "123", "-1", "1A"} {
		if _, err := ParseDocumentType(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestDocumentTypeTable checks that every code of beid-card.md §5.4 has a
// name and the old 2004 codes do not.
func TestDocumentTypeTable(t *testing.T) {
	codes := []int{1, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 27, 28,
		31, 32, 33, 34, 35, 36, 61, 62, 63, 64, 65, 66, 67, 68, 69}
	for _, c := range codes {
		if name, ok := DocumentTypeName(c); !ok || name == "" {
			t.Errorf("code %d has no name", c)
		}
	}
	if len(documentTypeNames) != len(codes) {
		t.Errorf("%d named codes, want %d", len(documentTypeNames), len(codes))
	}
	for _, c := range []int{2, 3} {
		if _, ok := DocumentTypeName(c); ok {
			t.Errorf("obsolete code %d is named", c)
		}
	}
}
