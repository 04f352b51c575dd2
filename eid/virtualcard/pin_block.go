package virtualcard

// PIN block format (beid-card.md §3.4): 8 bytes, nibbles C L P.. F..,
// control nibble 2, length 4..12, BCD digits, F padding.
const (
	chvBlockLen     = 8
	chvBlockControl = 0x2
	chvMinDigits    = 4
	chvMaxDigits    = 12
)

// parseCHVBlock returns the PIN of a GP-format block as ASCII digits. It
// is strict about the padding: every nibble past the digits must be F.
// The Windows minidriver is said to leave a 0 nibble after odd-length
// PINs on CHANGE; whether real cards accept that is unknown, and
// following the format keeps readers honest.
func parseCHVBlock(b []byte) ([]byte, bool) {
	if len(b) != chvBlockLen || b[0]>>4 != chvBlockControl {
		return nil, false
	}
	n := int(b[0] & 0x0F)
	if n < chvMinDigits || n > chvMaxDigits {
		return nil, false
	}
	pin := make([]byte, 0, n)
	for i := 2; i < 2*chvBlockLen; i++ {
		nib := b[i/2] >> 4
		if i%2 == 1 {
			nib = b[i/2] & 0x0F
		}
		switch {
		case i < 2+n && nib <= 9:
			pin = append(pin, '0'+nib)
		case i >= 2+n && nib == 0xF:
		default:
			return nil, false
		}
	}
	return pin, true
}
