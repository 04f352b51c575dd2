package virtualcard

// PIN block format (beid-card.md §3.4): 8 bytes, nibbles C L P.. F..,
// control nibble 2, length 4..12, BCD digits, then padding.
const (
	chvBlockLen     = 8
	chvBlockControl = 0x2
	chvMinDigits    = 4
	chvMaxDigits    = 12
)

// parseCHVBlock returns the PIN of a GP-format block as ASCII digits. It
// checks C = 2, L in 4..12 and that the L digit nibbles are 0-9, but not
// the padding after them, for VERIFY and CHANGE alike: the manual says it
// is F without saying the card checks it, and Fedict's Windows minidriver
// writes a 0 nibble after an odd-length PIN on CHANGE, which real cards
// must therefore accept.
func parseCHVBlock(b []byte) ([]byte, bool) {
	if len(b) != chvBlockLen || b[0]>>4 != chvBlockControl {
		return nil, false
	}
	n := int(b[0] & 0x0F)
	if n < chvMinDigits || n > chvMaxDigits {
		return nil, false
	}
	pin := make([]byte, 0, n)
	for i := 2; i < 2+n; i++ {
		nib := b[i/2] >> 4
		if i%2 == 1 {
			nib = b[i/2] & 0x0F
		}
		if nib > 9 {
			return nil, false
		}
		pin = append(pin, '0'+nib)
	}
	return pin, true
}
