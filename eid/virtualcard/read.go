package virtualcard

import "github.com/eidbridge/eidbridge/apdu"

// readBinary is READ BINARY (00 B0 offH offL Le) on the current EF, with
// the end-of-file rules of beid-card.md §3.3 that every reader's EOF
// detection is built on:
//
//   - Le <= remaining: Le bytes and 9000;
//   - 0 < remaining < Le: 6C<remaining>;
//   - offset >= size: 6B00.
//
// Le = 00 (or absent, which T=0 sends as P3 = 00) asks for 256 bytes.
//
// P1 bit 8 set would be a short-EF-identifier read, which the applet does
// not list. It answers 6B00: the applet reads P1-P2 as a 15-bit offset
// and 6B00 is its only offset error, and no BELPIC file is 32 KB long.
func (k *Card) readBinary(cmd apdu.Command) []byte {
	if cmd.P1&0x80 != 0 {
		return swOnly(apdu.WrongP1P2)
	}
	if k.s.ef == "" {
		return swOnly(apdu.NoCurrentEF)
	}
	file := k.content.Files[k.s.ef]
	off := int(cmd.P1)<<8 | int(cmd.P2)
	if off >= len(file) {
		return swOnly(apdu.WrongP1P2)
	}
	le, remaining := caseTwoLe(cmd), len(file)-off
	if le > remaining {
		return swWrongLe(remaining)
	}
	return swData(file[off : off+le])
}

// updateBinary refuses every write. The card's files need a CTV role
// (municipality) to be written; the one exception, the deprecated
// preferences file 4039 under the PIN, is not emulated (§2.1).
func (k *Card) updateBinary(apdu.Command) []byte {
	return swOnly(apdu.SecurityNotSatisfied)
}
