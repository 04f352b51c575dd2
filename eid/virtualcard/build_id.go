package virtualcard

import (
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
)

// Fixed sizes of the DF(ID) files we generate.
const (
	// addressFileSize is the 117-byte address file of perso v01 and later:
	// exactly the three fields at their maximum sizes with tags and lengths.
	addressFileSize = 117
	// prefsFileSize is our choice for 4039 (the size is not published).
	prefsFileSize = 100
)

// identityFile builds 4031 in the simplified TLV format. Tag 00 (the
// structure version) is never written: every sample card of every
// generation starts with tag 01, and a reader that stops at the first 00
// byte (commons-eid does so for the address) would then see nothing.
// Optional fields the card shows empty (09, 0E, 13) are present with
// length 0, as on real cards; tag 14/15 are absent.
func identityFile(s *CardSpec, basicKeyFile []byte) ([]byte, error) {
	id := s.Identity
	str := func(tag byte, v string) TLV { return TLV{tag, []byte(v)} }
	fields := []TLV{
		str(0x01, id.CardNumber),
		{0x02, s.Chip[:]},
		str(0x03, id.ValidFrom),
		str(0x04, id.ValidTo),
		str(0x05, id.IssuingMunicipality),
		str(0x06, id.NationalNumber),
		str(0x07, id.Surname),
		str(0x08, id.GivenNames),
		str(0x09, id.ThirdInitial),
		str(0x0A, id.Nationality),
		str(0x0B, id.BirthPlace),
		str(0x0C, id.BirthDate),
		str(0x0D, id.Sex),
		str(0x0E, id.NobleCondition),
		str(0x0F, id.DocumentType),
		str(0x10, id.SpecialStatus),
		{0x11, photoHash(s.Applet, s.Photo)},
		str(0x12, id.Duplicate),
		str(0x13, ""),
	}
	if id.WorkPermit != "" {
		fields = append(fields, str(0x16, id.WorkPermit))
	}
	if s.Applet == Applet18 {
		h := sha512.Sum384(basicKeyFile)
		fields = append(fields, TLV{0x1A, h[:]})
	}
	out, err := EncodeTLV(fields)
	if err != nil {
		return nil, fmt.Errorf("identity file: %w", err)
	}
	return out, nil
}

// photoHash is tag 11: SHA-256 on our 1.7 cards (as on 1.7 cards issued
// since about 2018), SHA-384 on 1.8.
func photoHash(applet byte, photo []byte) []byte {
	if applet == Applet18 {
		h := sha512.Sum384(photo)
		return h[:]
	}
	h := sha256.Sum256(photo)
	return h[:]
}

// addressFile builds 4033, zero-padded to its fixed size.
func addressFile(id *Identity) ([]byte, error) {
	out, err := EncodeTLV([]TLV{
		{0x01, []byte(id.Street)},
		{0x02, []byte(id.ZIP)},
		{0x03, []byte(id.Municipality)},
	})
	if err != nil {
		return nil, fmt.Errorf("address file: %w", err)
	}
	if len(out) > addressFileSize {
		return nil, fmt.Errorf("address file: %d bytes exceed the %d-byte file", len(out), addressFileSize)
	}
	return append(out, make([]byte, addressFileSize-len(out))...), nil
}

// prefsFile builds the legacy 1.7 preferences file 4039.
func prefsFile(lang string) []byte {
	out := []byte("[gen]\nlg=" + lang + "\n")
	return append(out, make([]byte, prefsFileSize-len(out))...)
}

// certFile pads a certificate as personalisation does: 1.7 appends 50
// zero bytes and writes 1300 zeros for an absent certificate; 1.8
// appends 1100 and writes 2500.
func certFile(applet byte, der []byte) []byte {
	pad, absent := 50, 1300
	if applet == Applet18 {
		pad, absent = 1100, 2500
	}
	if der == nil {
		return make([]byte, absent)
	}
	return append(append([]byte(nil), der...), make([]byte, pad)...)
}
