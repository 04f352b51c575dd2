package virtualcard

import "github.com/eidbridge/eidbridge/apdu"

// GET CARD DATA lengths (beid-card.md §1.3).
const (
	cardDataLegacyLen = 28 // P2 = 00, every applet
	cardDataFullLen   = 31 // P2 = 01, applet 1.8 only
)

// Bytes 16..20 (component code, OS number and version, softmask number
// and version) describe the chip platform. These are the virtual card's
// own values, not those of a real chip; readers must not interpret them.
var cardDataPlatform = [5]byte{0x01, 0x01, 0x01, 0x01, 0x01}

// getCardData is GET CARD DATA (80 E4 00 P2 Le): P2 = 00 gives the 28
// legacy bytes, P2 = 01 on 1.8 adds the PIN tries and two RFU bytes. A
// wrong Le gets 6C with the right length, which commons-eid relies on.
//
// What a 1.7 card answers to P2 = 01 is undocumented; like any other
// unknown P1/P2 it gets 6B00 (assumed, §1.3), so readers must fall back
// to P2 = 00.
func (k *Card) getCardData(cmd apdu.Command) []byte {
	if cmd.P1 != 0 {
		return swOnly(apdu.WrongP1P2)
	}
	switch {
	case cmd.P2 == 0x00:
		return answerExact(cmd, k.cardData()[:cardDataLegacyLen])
	case cmd.P2 == 0x01 && k.is18():
		return answerExact(cmd, k.cardData())
	}
	return swOnly(apdu.WrongP1P2)
}

// cardData lays out the 31-byte 1.8 answer; 1.7 uses its first 28 bytes.
func (k *Card) cardData() []byte {
	c := k.content
	b := make([]byte, 0, cardDataFullLen)
	b = append(b, c.ChipSerial[:]...)
	b = append(b, cardDataPlatform[:]...)
	if k.is18() {
		// applet, global OS version 00 01, interface 00, no PKCS#1 v2.x,
		// key exchange version 02
		b = append(b, Applet18, 0x00, 0x01, 0x00, 0x00, 0x02)
	} else {
		// applet, global OS version 00 03, interface 00, PKCS#1 v2.1,
		// key exchange version 01
		b = append(b, Applet17, 0x00, 0x03, 0x00, 0x21, 0x01)
	}
	b = append(b, c.LifeCycle)
	return append(b, k.pinTriesByte(), 0xFF, 0xFF)
}

// pinTriesByte is byte 28: the cardholder PIN's tries left, FF when the
// card has no PIN.
func (k *Card) pinTriesByte() byte {
	if len(k.content.PIN) == 0 {
		return 0xFF
	}
	return byte(k.pinTries())
}
