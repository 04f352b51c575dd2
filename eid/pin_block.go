package eid

import "fmt"

// The cardholder PIN (beid-card.md §3.4): 4 to 12 digits, sent as an
// 8-byte "Global Platform" block: nibble 2 (control), nibble L (length),
// the digits in BCD, then F padding.
const (
	pinMinDigits = 4
	pinMaxDigits = 12
	pinBlockLen  = 8
	pinControl   = 0x20
	pinMaxTries  = 3
	pinRef       = 0x01 // P2 of VERIFY and CHANGE REFERENCE DATA
)

// checkPINFormat refuses anything but 4 to 12 ASCII digits. The error
// says what is wrong without echoing the PIN or its length.
func checkPINFormat(pin []byte) error {
	switch {
	case len(pin) < pinMinDigits:
		return fmt.Errorf("%w: this one is too short", ErrPINFormat)
	case len(pin) > pinMaxDigits:
		return fmt.Errorf("%w: this one is too long", ErrPINFormat)
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return fmt.Errorf("%w: only the digits 0 to 9 are allowed", ErrPINFormat)
		}
	}
	return nil
}

// pinBlock encodes a PIN that passed checkPINFormat. The padding is F
// after every PIN, odd lengths included: the virtual card checks it and
// a real card's tolerance of other padding is not documented.
func pinBlock(pin []byte) [pinBlockLen]byte {
	var b [pinBlockLen]byte
	for i := range b {
		b[i] = 0xFF
	}
	b[0] = pinControl | byte(len(pin))
	for i, c := range pin {
		pos := 1 + i/2
		if i%2 == 0 {
			b[pos] = (c-'0')<<4 | 0x0F
		} else {
			b[pos] = b[pos]&0xF0 | (c - '0')
		}
	}
	return b
}

// wipe zeroes PIN material in place. Callers defer it as soon as they
// hold a PIN so that every return path clears it.
func wipe(bufs ...[]byte) {
	for _, b := range bufs {
		clear(b)
	}
}
