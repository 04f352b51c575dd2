package virtualcard

import (
	"errors"
	"fmt"
)

// TLV is one field of the card's "simplified TLV" files (4031, 4033):
// a one-byte tag, a length and the raw value.
type TLV struct {
	Tag   byte
	Value []byte
}

// maxPortableLen is the longest value we write. The card's length rule
// (FF escapes, beid-card.md §5.1) and the 7-bit-group rule some readers
// use agree only below 128, so longer fields would be read differently.
const maxPortableLen = 127

// EncodeTLV writes fields in the order given, which must be ascending by
// tag. Lengths use the card rule: each FF byte adds 255 and the first
// non-FF byte ends the length. Values longer than 127 bytes are refused
// so that every known parser reads the same fields.
func EncodeTLV(fields []TLV) ([]byte, error) {
	var out []byte
	for i, f := range fields {
		if i > 0 && f.Tag <= fields[i-1].Tag {
			return nil, fmt.Errorf("tlv: tag %02X after %02X: tags must ascend", f.Tag, fields[i-1].Tag)
		}
		if len(f.Value) > maxPortableLen {
			return nil, fmt.Errorf("tlv: tag %02X value of %d bytes exceeds %d", f.Tag, len(f.Value), maxPortableLen)
		}
		out = append(out, f.Tag)
		out = appendTLVLen(out, len(f.Value))
		out = append(out, f.Value...)
	}
	return out, nil
}

func appendTLVLen(b []byte, n int) []byte {
	for n >= 0xFF {
		b = append(b, 0xFF)
		n -= 0xFF
	}
	return append(b, byte(n))
}

var errTruncated = errors.New("tlv: truncated field")

// DecodeTLV parses a simplified-TLV file, stopping at zero padding: a 00
// tag after the first position ends the data (tag 00 is only allowed
// first, as the structure version).
func DecodeTLV(b []byte) ([]TLV, error) {
	var out []TLV
	for i := 0; i < len(b); {
		tag := b[i]
		if tag == 0 && i > 0 {
			break
		}
		i++
		n := 0
		for {
			if i >= len(b) {
				return nil, fmt.Errorf("tag %02X length: %w", tag, errTruncated)
			}
			n += int(b[i])
			i++
			if b[i-1] != 0xFF {
				break
			}
		}
		if i+n > len(b) {
			return nil, fmt.Errorf("tag %02X needs %d bytes, %d left: %w", tag, n, len(b)-i, errTruncated)
		}
		out = append(out, TLV{Tag: tag, Value: b[i : i+n]})
		i += n
	}
	return out, nil
}

// FindTLV returns the value of tag and whether it was present.
func FindTLV(fields []TLV, tag byte) ([]byte, bool) {
	for _, f := range fields {
		if f.Tag == tag {
			return f.Value, true
		}
	}
	return nil, false
}
