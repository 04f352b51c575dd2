package eid

import "fmt"

// TLVField is one field of a BELPIC "simplified TLV" file (4031, 4033).
// Value aliases the parsed buffer; Offset is where the tag byte sits.
type TLVField struct {
	Tag    byte
	Offset int
	Value  []byte
}

// ParseTLV splits a simplified-TLV file (beid-card.md §5.1) into fields.
//
// Tags are one byte and must ascend strictly. A length is the sum of any
// leading FF bytes plus the first non-FF byte, so 255 is FF 00. Tag 00 is
// the structure version and is only allowed first; a 00 tag anywhere else
// is the start of the zero padding that fixed-size files carry, and ends
// the data (whatever follows it is not looked at, as eid-mw does).
// An empty input yields no fields and no error.
func ParseTLV(b []byte) ([]TLVField, error) {
	var fields []TLVField
	for off := 0; off < len(b); {
		tag := b[off]
		if tag == 0x00 && off > 0 {
			break
		}
		if n := len(fields); n > 0 && tag <= fields[n-1].Tag {
			return nil, fmt.Errorf("tlv: tag %02X at offset %d does not follow tag %02X (tags must ascend)",
				tag, off, fields[n-1].Tag)
		}
		length, lenBytes, err := tlvLength(b, off+1)
		if err != nil {
			return nil, fmt.Errorf("tlv: tag %02X at offset %d: %w", tag, off, err)
		}
		start := off + 1 + lenBytes
		if length > len(b)-start {
			return nil, fmt.Errorf("tlv: tag %02X at offset %d: value of %d bytes at offset %d runs past the end (%d bytes left)",
				tag, off, length, start, len(b)-start)
		}
		fields = append(fields, TLVField{Tag: tag, Offset: off, Value: b[start : start+length : start+length]})
		off = start + length
	}
	return fields, nil
}

// tlvLength decodes the FF-escaped length starting at off and returns the
// length and the number of bytes it took.
func tlvLength(b []byte, off int) (length, n int, err error) {
	for i := off; i < len(b); i++ {
		length += int(b[i])
		if b[i] != 0xFF {
			return length, i - off + 1, nil
		}
	}
	return 0, 0, fmt.Errorf("length at offset %d is truncated", off)
}

// EncodeTLV is the inverse of ParseTLV: it writes the fields in the order
// given, with FF-escaped lengths. It does not sort or validate the tags.
func EncodeTLV(fields []TLVField) []byte {
	var out []byte
	for _, f := range fields {
		out = append(out, f.Tag)
		out = appendTLVLength(out, len(f.Value))
		out = append(out, f.Value...)
	}
	return out
}

func appendTLVLength(out []byte, n int) []byte {
	for ; n >= 0xFF; n -= 0xFF {
		out = append(out, 0xFF)
	}
	return append(out, byte(n))
}

// rstripZeros removes trailing 00 bytes only: the address signature covers
// the address file without its padding (beid-card.md §5.7).
func rstripZeros(b []byte) []byte {
	n := len(b)
	for n > 0 && b[n-1] == 0 {
		n--
	}
	return b[:n]
}
