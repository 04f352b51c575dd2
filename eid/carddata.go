package eid

import (
	"fmt"
)

// CardData is the answer to GET CARD DATA (beid-card.md §1.3).
type CardData struct {
	Serial             [16]byte // chip serial; equals identity tag 02
	ComponentCode      byte
	OSNumber           byte
	OSVersion          byte
	SoftmaskNumber     byte
	SoftmaskVersion    byte
	AppletVersion      byte // 0x17 or 0x18
	GlobalOSVersion    uint16
	InterfaceVersion   byte
	PKCS1Support       byte
	KeyExchangeVersion byte
	LifeCycle          byte
	// PINTries is the cardholder PIN's tries left, from the P2=01 form
	// that only applet 1.8 answers; -1 when the card did not say.
	PINTries int
}

// Applet life cycle values (byte 27).
const (
	LifeCycleSelectable   = 0x07
	LifeCyclePersonalized = 0x0F
)

const (
	cardDataLen   = 28
	cardDataLen18 = 31
)

// ParseCardData decodes a 28-byte (P2=00) or 31-byte (P2=01) answer.
func ParseCardData(b []byte) (CardData, error) {
	if len(b) != cardDataLen && len(b) != cardDataLen18 {
		return CardData{}, fmt.Errorf("eid: GET CARD DATA returned %d bytes, want %d or %d", len(b), cardDataLen, cardDataLen18)
	}
	var d CardData
	copy(d.Serial[:], b[:16])
	d.ComponentCode, d.OSNumber, d.OSVersion = b[16], b[17], b[18]
	d.SoftmaskNumber, d.SoftmaskVersion, d.AppletVersion = b[19], b[20], b[21]
	d.GlobalOSVersion = uint16(b[22])<<8 | uint16(b[23])
	d.InterfaceVersion, d.PKCS1Support, d.KeyExchangeVersion = b[24], b[25], b[26]
	d.LifeCycle = b[27]
	d.PINTries = -1
	if len(b) == cardDataLen18 && b[28] != 0xFF {
		d.PINTries = int(b[28])
	}
	return d, nil
}

// SerialHex is the chip serial in upper-case hex, as support desks see it.
func (d CardData) SerialHex() string { return fmt.Sprintf("%X", d.Serial[:]) }

// Applet is the applet version as text, "1.7" or "1.8".
func (d CardData) Applet() string {
	return fmt.Sprintf("%d.%d", d.AppletVersion>>4, d.AppletVersion&0x0F)
}

// ShortSerial is the last 16 hex digits of the serial; the leading part is
// the same on every card, which is why eid-mw shows only this part.
func (d CardData) ShortSerial() string {
	return fmt.Sprintf("%X", d.Serial[8:])
}
