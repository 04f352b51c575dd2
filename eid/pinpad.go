package eid

import (
	"time"

	"github.com/eidbridge/eidbridge/apdu"
)

// PINPad is implemented by a Transport whose reader has a keypad for
// secure PIN entry (PC/SC part 10). The PIN is then typed on the reader
// and never enters the computer.
type PINPad interface {
	// PINPadFeatures reports whether the reader can verify and change the
	// PIN on its keypad.
	PINPadFeatures() (verify, modify bool)
	// VerifyOnPINPad sends cmd, a VERIFY whose PIN block the reader fills
	// in from its keypad, and returns the card's (or the reader's) answer.
	VerifyOnPINPad(f PINPadFormat, cmd apdu.Command) (apdu.Response, error)
	// ModifyOnPINPad does the same for CHANGE REFERENCE DATA: the reader
	// asks the old PIN, then the new one twice.
	ModifyOnPINPad(f PINPadFormat, cmd apdu.Command) (apdu.Response, error)
}

// PINPadFormat tells the reader where and how to write the PIN into the
// command (the CCID PIN_VERIFY / PIN_MODIFY fields).
type PINPadFormat struct {
	Timeout         time.Duration // for the citizen to finish typing
	FormatString    byte          // bmFormatString
	PINBlockString  byte          // bmPINBlockString
	PINLengthFormat byte          // bmPINLengthFormat
	MinDigits       int
	MaxDigits       int
	OffsetOld       byte   // bInsertionOffsetOld, in units of FormatString
	OffsetNew       byte   // bInsertionOffsetNew (modify only)
	LangID          uint16 // language of the reader's messages; 0 is the default
}

// BelgianPINPadFormat is the Belgian eID's GP PIN block as the official
// middleware describes it to readers (beid-card.md §7.2, §7.3): the length
// in the low nibble of byte 0, BCD digits left-justified from byte 1,
// 4 to 12 digits, the new PIN of a change 8 bytes after the old one.
var BelgianPINPadFormat = PINPadFormat{
	Timeout:         30 * time.Second,
	FormatString:    0x89,
	PINBlockString:  0x47,
	PINLengthFormat: 0x04,
	MinDigits:       4,
	MaxDigits:       12,
	OffsetOld:       0x00,
	OffsetNew:       0x08,
}

// Reader answers to a keypad operation (beid-card.md §7.4); the card's own
// status words pass through unchanged.
const (
	PINPadTimeout   apdu.Status = 0x6400
	PINPadCancelled apdu.Status = 0x6401
	PINPadMismatch  apdu.Status = 0x6402
	PINPadBadLength apdu.Status = 0x6403
)
