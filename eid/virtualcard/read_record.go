package virtualcard

import "github.com/eidbridge/eidbridge/apdu"

// Status words only READ RECORD uses.
const swNotStructured apdu.Status = 0x6981 // command incompatible with the file

// readRecord is the 1.8 READ RECORD (80 B2 firstTag lastTag Le) on the
// current identity or address file (beid-card.md §3.9): it answers
// "tag len value" for every field whose tag is in [P1, P2], each with a
// one-byte length. Le = 00 (or none) returns every record, chained with
// 61xx past 256 bytes; any other Le must be the exact length (6Cxx).
// Applet 1.7 does not have the command (6D00).
func (k *Card) readRecord(cmd apdu.Command) []byte {
	if !k.is18() {
		return swOnly(apdu.INSNotSupported)
	}
	if k.s.ef == "" {
		return swOnly(apdu.NoCurrentEF)
	}
	if k.s.ef != fsID+"4031" && k.s.ef != fsID+"4033" {
		return swOnly(swNotStructured)
	}
	if cmd.P2 < cmd.P1 {
		return swOnly(apdu.RecordNotFound)
	}
	out, sw := recordsInRange(k.content.Files[k.s.ef], cmd.P1, cmd.P2)
	if sw != apdu.OK {
		return swOnly(sw)
	}
	if len(out) == 0 {
		return swOnly(apdu.RecordNotFound)
	}
	if cmd.Le == apdu.NoLe || cmd.Le == shortMaxData {
		return k.chain(out)
	}
	if cmd.Le != len(out) {
		return swWrongLe(min(len(out), shortMaxData))
	}
	return swData(out)
}

// recordsInRange walks the file's simplified TLV (§5.1: one tag byte, a
// length of FF bytes plus a final byte, summed) up to the zero padding,
// and re-encodes the fields in [first, last] with one-byte lengths. A
// field longer than 255 bytes cannot be sent that way (6A80); no identity
// or address field comes near it.
func recordsInRange(file []byte, first, last byte) ([]byte, apdu.Status) {
	var out []byte
	for pos := 0; pos < len(file); {
		tag := file[pos]
		if tag == 0 && pos > 0 {
			break // zero padding after the last field
		}
		n, hdr, ok := recordLenAt(file[pos+1:])
		end := pos + 1 + hdr + n
		if !ok || end > len(file) {
			break // a truncated field ends the data
		}
		if tag >= first && tag <= last {
			if n > 0xFF {
				return nil, apdu.IncorrectData
			}
			out = append(out, tag, byte(n))
			out = append(out, file[pos+1+hdr:end]...)
		}
		pos = end
	}
	return out, apdu.OK
}

// recordLenAt decodes a simplified-TLV length: the value and how many
// length bytes it took.
func recordLenAt(b []byte) (n, used int, ok bool) {
	for i, c := range b {
		n += int(c)
		if c != 0xFF {
			return n, i + 1, true
		}
	}
	return 0, 0, false
}
