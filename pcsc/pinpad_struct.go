package pcsc

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// Fixed fields of the PIN structures (PC/SC part 10, CCID 6.1.11/6.1.12),
// as the Belgian middleware sets them (beid-card.md §7.2, §7.3).
const (
	validateOnOK   = 0x02 // bEntryValidationCondition: the OK key ends entry
	confirmOldNew  = 0x03 // bConfirmPIN: ask the old PIN, confirm the new one
	verifyMessages = 0x01 // bNumberMessage: one prompt
	modifyMessages = 0x03 // bNumberMessage: old, new, confirm
)

// pinHead is the part both structures start with, checked.
type pinHead struct {
	timer  byte   // bTimerOut and bTimerOut2
	digits uint16 // wPINMaxExtraDigit
	apdu   []byte // abData: the command template
}

// checkFormat validates f and cmd. wPINMaxExtraDigit is 0xXXYY with XX the
// minimum and YY the maximum; stored little-endian that puts the maximum
// first, so 4..12 digits is the byte pair 0C 04.
func checkFormat(f eid.PINPadFormat, cmd apdu.Command) (pinHead, error) {
	t := f.Timeout
	if t < 0 || t > 255*time.Second || t%time.Second != 0 {
		return pinHead{}, fmt.Errorf("pcsc: PIN pad timeout %v: the reader counts whole seconds from 0 (its default) to 255", t)
	}
	if f.MinDigits < 1 || f.MaxDigits < f.MinDigits || f.MaxDigits > 0xFF {
		return pinHead{}, fmt.Errorf("pcsc: PIN pad digits %d..%d: want 1 <= min <= max <= 255", f.MinDigits, f.MaxDigits)
	}
	if len(cmd.Data) == 0 {
		return pinHead{}, fmt.Errorf("pcsc: PIN pad command %02X %02X has no PIN block for the reader to fill", cmd.CLA, cmd.INS)
	}
	b, err := cmd.Bytes()
	if err != nil {
		return pinHead{}, fmt.Errorf("pcsc: PIN pad command: %w", err)
	}
	return pinHead{
		timer:  byte(t / time.Second),
		digits: uint16(f.MinDigits)<<8 | uint16(f.MaxDigits),
		apdu:   b,
	}, nil
}

// verifyStructure builds PIN_VERIFY_STRUCTURE: packed, little-endian.
// wLangId follows that rule too (the official PKCS#11 module writes it
// high byte first, a slip its minidriver does not make). bNumberMessage
// is 01 as the Belgian middleware sends it: one "enter PIN" prompt.
func verifyStructure(f eid.PINPadFormat, cmd apdu.Command) ([]byte, error) {
	h, err := checkFormat(f, cmd)
	if err != nil {
		return nil, err
	}
	s := []byte{h.timer, h.timer, f.FormatString, f.PINBlockString, f.PINLengthFormat}
	s = binary.LittleEndian.AppendUint16(s, h.digits)
	s = append(s, validateOnOK, verifyMessages)
	s = binary.LittleEndian.AppendUint16(s, f.LangID)
	s = append(s, 0)       // bMsgIndex
	s = append(s, 0, 0, 0) // bTeoPrologue: the reader fills it for T=1
	s = binary.LittleEndian.AppendUint32(s, uint32(len(h.apdu)))
	return append(s, h.apdu...), nil
}

// modifyStructure builds PIN_MODIFY_STRUCTURE. PC/SC part 10 always has
// the three message indexes, unlike CCID, where their presence depends
// on bNumberMessage.
func modifyStructure(f eid.PINPadFormat, cmd apdu.Command) ([]byte, error) {
	h, err := checkFormat(f, cmd)
	if err != nil {
		return nil, err
	}
	s := []byte{h.timer, h.timer, f.FormatString, f.PINBlockString, f.PINLengthFormat,
		f.OffsetOld, f.OffsetNew}
	s = binary.LittleEndian.AppendUint16(s, h.digits)
	s = append(s, confirmOldNew, validateOnOK, modifyMessages)
	s = binary.LittleEndian.AppendUint16(s, f.LangID)
	s = append(s, 0, 1, 2) // bMsgIndex1..3: old, new, confirm prompts
	s = append(s, 0, 0, 0) // bTeoPrologue
	s = binary.LittleEndian.AppendUint32(s, uint32(len(h.apdu)))
	return append(s, h.apdu...), nil
}
