package eid

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Sex is M or F; the card writes female as F, V or W (FR/NL/DE).
type Sex string

// Sex values; SexUnknown is an unrecognised letter or a BIS number
// allocated without a known sex.
const (
	SexUnknown Sex = ""
	SexMale    Sex = "M"
	SexFemale  Sex = "F"
)

// parseSex maps tag 0D. An unknown letter is not an error: the raw value
// is kept next to it and the parsed value is SexUnknown.
func parseSex(s string) Sex {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "M":
		return SexMale
	case "F", "V", "W":
		return SexFemale
	}
	return SexUnknown
}

// SpecialStatus is tag 10: a digit combining white cane (1), extended
// minority (2) and yellow cane (4); 3 = 1+2 and 5 = 4+2.
type SpecialStatus struct {
	Raw              string `json:"raw"`
	Code             int    `json:"code"`
	WhiteCane        bool   `json:"whiteCane"`
	YellowCane       bool   `json:"yellowCane"`
	ExtendedMinority bool   `json:"extendedMinority"`
	Known            bool   `json:"known"` // false for a code beyond 0..5, whose flags are unset
}

// ParseSpecialStatus reads tag 10; empty means 0 (none).
func ParseSpecialStatus(s string) (SpecialStatus, error) {
	st := SpecialStatus{Raw: s}
	t := strings.TrimSpace(s)
	if t == "" {
		t = "0"
	}
	if len(t) > 2 || !allDigits(t) {
		return st, fmt.Errorf("special status %q: want a number", s)
	}
	st.Code, _ = strconv.Atoi(t)
	if st.Code > 5 {
		return st, nil
	}
	st.Known = true
	st.WhiteCane = st.Code == 1 || st.Code == 3
	st.YellowCane = st.Code == 4 || st.Code == 5
	st.ExtendedMinority = st.Code == 2 || st.Code == 3 || st.Code == 5
	return st, nil
}

// HexBytes is binary data that marshals to JSON and text as lower-case hex,
// which is how people compare chip numbers and hashes.
type HexBytes []byte

// String returns the hex form.
func (h HexBytes) String() string { return hex.EncodeToString(h) }

// MarshalText implements encoding.TextMarshaler.
func (h HexBytes) MarshalText() ([]byte, error) {
	return []byte(hex.EncodeToString(h)), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *HexBytes) UnmarshalText(b []byte) error {
	v, err := hex.DecodeString(string(b))
	if err != nil {
		return fmt.Errorf("hex bytes: %w", err)
	}
	*h = v
	return nil
}
