package eid

import "bytes"

// Family is what an ATR says about a card. The ATR cannot tell applet 1.1
// from 1.7 (beid-card.md §1.1), so GET CARD DATA settles the version.
type Family int

const (
	NotBelgianEID Family = iota
	FamilyRSA            // applet 1.0/1.1/1.7: 3B 98 .. 40 .. A5 03 01 01 01 AD 13 1x
	FamilyEC             // applet 1.8
)

func (f Family) String() string {
	switch f {
	case FamilyRSA:
		return "Belgian eID (RSA applet)"
	case FamilyEC:
		return "Belgian eID (applet 1.8)"
	}
	return "not a Belgian eID"
}

var (
	atr18 = []byte{0x3B, 0x7F, 0x96, 0x00, 0x00, 0x80, 0x31, 0x80, 0x65, 0xB0, 0x85, 0x04, 0x01, 0x20, 0x12, 0x0F, 0xFF, 0x82, 0x90, 0x00}
	// The RSA-era mask is the one Fedict's installer registers: TA1, TC2
	// and the last historical byte vary between cards and readers.
	atrRSA     = []byte{0x3B, 0x98, 0x00, 0x40, 0x00, 0xA5, 0x03, 0x01, 0x01, 0x01, 0xAD, 0x13, 0x00}
	atrRSAMask = []byte{0xFF, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}
)

// RecognizeATR tells whether atr belongs to a Belgian eID card.
func RecognizeATR(atr []byte) Family {
	if bytes.Equal(atr, atr18) {
		return FamilyEC
	}
	if len(atr) != len(atrRSA) {
		return NotBelgianEID
	}
	for i := range atr {
		if atr[i]&atrRSAMask[i] != atrRSA[i] {
			return NotBelgianEID
		}
	}
	return FamilyRSA
}
