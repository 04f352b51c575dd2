// Package virtualcard is a virtual Belgian eID card (applet 1.7 RSA-2048 or
// 1.8 ECDSA P-384) written to the card reference rather than to our own
// reader: it answers APDUs in-process for unit tests and through pcscd via
// vpcd for integration tests, and stores its profile in a directory.
package virtualcard

import "crypto"

// Applet versions the virtual card can be.
const (
	Applet17 byte = 0x17
	Applet18 byte = 0x18
)

// Content is everything a card holds: what the APDU processor serves and
// what a profile directory stores. Files are keyed by the upper-case hex
// of their absolute path, e.g. "3F00DF014031", and hold the exact bytes
// the card returns, padding included.
type Content struct {
	Applet     byte
	ChipSerial [16]byte
	LifeCycle  byte // 0x0F personalised, 0x07 selectable
	Files      map[string][]byte

	AuthKey  crypto.Signer // key 82; nil on a card without one (kids)
	SignKey  crypto.Signer // key 83; nil when absent
	BasicKey crypto.Signer // key 81; its public key is file 4040 on 1.8

	PIN      []byte // digits, ASCII
	PINTries int    // tries left, 0..3; 0 is blocked
}
