package eid

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// MissingTagError reports a mandatory tag absent from 4031 or 4033.
type MissingTagError struct {
	File  string // "identity" or "address"
	Tag   byte
	Field string
}

func (e *MissingTagError) Error() string {
	return fmt.Sprintf("%s file: required tag %02X (%s) is missing", e.File, e.Tag, e.Field)
}

// tagSpec says how one known tag of a TLV file is decoded into T.
type tagSpec[T any] struct {
	field    string
	required bool
	decode   func(out *T, v []byte) error
}

// tlvFile holds what every TLV file has besides its known tags.
type tlvFile struct {
	version *int
	unknown map[byte][]byte
}

// decodeTLVFile parses b and feeds each field to its spec. Tag 00 becomes
// the structure version; tags without a spec are kept, not rejected,
// because later card generations add tags (beid-card.md §5.2).
func decodeTLVFile[T any](file string, b []byte, specs map[byte]tagSpec[T], out *T) (tlvFile, error) {
	var res tlvFile
	fields, err := ParseTLV(b)
	if err != nil {
		return res, fmt.Errorf("%s file: %w", file, err)
	}
	seen := map[byte]bool{}
	for _, f := range fields {
		seen[f.Tag] = true
		spec, known := specs[f.Tag]
		switch {
		case f.Tag == 0x00:
			res.version, err = structureVersion(f.Value)
		case known:
			err = spec.decode(out, f.Value)
		default:
			if res.unknown == nil {
				res.unknown = map[byte][]byte{}
			}
			res.unknown[f.Tag] = cloneBytes(f.Value)
		}
		if err != nil {
			name := spec.field
			if f.Tag == 0x00 {
				name = "structure version"
			}
			return res, fmt.Errorf("%s file: tag %02X (%s) at offset %d: %w", file, f.Tag, name, f.Offset, err)
		}
	}
	for tag := 0; tag < 256; tag++ {
		if spec := specs[byte(tag)]; spec.required && !seen[byte(tag)] {
			return res, &MissingTagError{File: file, Tag: byte(tag), Field: spec.field}
		}
	}
	return res, nil
}

// structureVersion reads tag 00, documented as 2 binary bytes.
func structureVersion(v []byte) (*int, error) {
	if len(v) > 2 {
		return nil, fmt.Errorf("structure version is %d bytes, want at most 2", len(v))
	}
	n := 0
	for _, c := range v {
		n = n<<8 | int(c)
	}
	return &n, nil
}

// textTag returns a decoder for a UTF-8 field. Trailing spaces are dropped:
// the card pads some fields with them and they carry no meaning.
func textTag[T any](field func(*T) *string) func(*T, []byte) error {
	return func(out *T, v []byte) error {
		s, err := cardText(v)
		*field(out) = s
		return err
	}
}

func cardText(v []byte) (string, error) {
	if !utf8.Valid(v) {
		return "", fmt.Errorf("value % X is not UTF-8", v)
	}
	return strings.TrimRight(string(v), " "), nil
}

// binaryTag returns a decoder that copies the value, so results never alias
// the caller's buffer.
func binaryTag[T any](field func(*T) *HexBytes) func(*T, []byte) error {
	return func(out *T, v []byte) error {
		*field(out) = cloneBytes(v)
		return nil
	}
}

// cardDate parses the DD.MM.YYYY form of tags 03, 04 and 1F into a date at
// 00:00 UTC (a calendar date, no time zone implied).
func cardDate(v string) (time.Time, error) {
	t, err := time.Parse("02.01.2006", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want DD.MM.YYYY", v)
	}
	return t, nil
}

func cloneBytes(v []byte) []byte {
	return append([]byte{}, v...)
}
