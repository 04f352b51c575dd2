package eid

import (
	"fmt"
	"strings"
	"time"
)

type idSpec = tagSpec[Identity]

// identitySpecs decodes every tag of beid-card.md §5.2. "required" is the
// spec's M column, except tag 1A, which only 1.8 cards carry.
var identitySpecs = map[byte]idSpec{
	0x01: {"card number", true, textTag(func(id *Identity) *string { return &id.CardNumber })},
	0x02: {"chip number", true, binaryTag(func(id *Identity) *HexBytes { return &id.ChipNumber })},
	0x03: {"validity start", true, dateTag(func(id *Identity) (*string, *time.Time) { return &id.ValidityStartRaw, &id.ValidityStart })},
	0x04: {"validity end", true, dateTag(func(id *Identity) (*string, *time.Time) { return &id.ValidityEndRaw, &id.ValidityEnd })},
	0x05: {"delivery municipality", true, textTag(func(id *Identity) *string { return &id.DeliveryMunicipality })},
	0x06: {"national number", true, textTag(func(id *Identity) *string { return &id.NationalNumber })},
	0x07: {"surname", true, textTag(func(id *Identity) *string { return &id.Surname })},
	0x08: {"given names", false, textTag(func(id *Identity) *string { return &id.GivenNames })},
	0x09: {"third given name initial", false, textTag(func(id *Identity) *string { return &id.ThirdNameInitial })},
	0x0A: {"nationality", true, textTag(func(id *Identity) *string { return &id.Nationality })},
	0x0B: {"birth location", true, textTag(func(id *Identity) *string { return &id.BirthLocation })},
	0x0C: {"birth date", true, decodeBirthDate},
	0x0D: {"sex", true, decodeSex},
	0x0E: {"noble condition", false, textTag(func(id *Identity) *string { return &id.NobleCondition })},
	0x0F: {"document type", true, decodeDocumentType},
	0x10: {"special status", false, decodeSpecialStatus},
	0x11: {"photo hash", true, binaryTag(func(id *Identity) *HexBytes { return &id.PhotoHash })},
	0x12: {"duplicate", false, textTag(func(id *Identity) *string { return &id.Duplicate })},
	0x13: {"special organisation", false, textTag(func(id *Identity) *string { return &id.SpecialOrganisation })},
	0x14: {"member of family", false, func(id *Identity, _ []byte) error { id.MemberOfFamily = true; return nil }},
	0x15: {"date and country of protection", false, decodeProtection},
	0x16: {"work permit", false, textTag(func(id *Identity) *string { return &id.WorkPermit })},
	0x17: {"employer VAT number 1", false, textTag(func(id *Identity) *string { return &id.EmployerVAT1 })},
	0x18: {"employer VAT number 2", false, textTag(func(id *Identity) *string { return &id.EmployerVAT2 })},
	0x19: {"regional file number", false, textTag(func(id *Identity) *string { return &id.RegionalFileNumber })},
	0x1A: {"basic public key hash", false, binaryTag(func(id *Identity) *HexBytes { return &id.BasicKeyHash })},
	0x1B: {"Brexit mention 1", false, textTag(func(id *Identity) *string { return &id.BrexitMention1 })},
	0x1C: {"Brexit mention 2", false, textTag(func(id *Identity) *string { return &id.BrexitMention2 })},
	0x1D: {"card A mention 1", false, textTag(func(id *Identity) *string { return &id.CardAMention1 })},
	0x1E: {"card A mention 2", false, textTag(func(id *Identity) *string { return &id.CardAMention2 })},
	0x1F: {"EU start date", false, decodeEUStartDate},
}

// dateTag decodes a mandatory DD.MM.YYYY tag, keeping the raw text.
func dateTag(field func(*Identity) (*string, *time.Time)) func(*Identity, []byte) error {
	return func(id *Identity, v []byte) error {
		raw, t := field(id)
		s, err := cardText(v)
		if err != nil {
			return err
		}
		*raw = s
		*t, err = cardDate(s)
		return err
	}
}

func decodeBirthDate(id *Identity, v []byte) error {
	s, err := cardText(v)
	if err == nil {
		id.BirthDate, err = ParseBirthDate(s)
	}
	return err
}

func decodeSex(id *Identity, v []byte) error {
	s, err := cardText(v)
	id.SexRaw, id.Sex = s, parseSex(s)
	return err
}

func decodeDocumentType(id *Identity, v []byte) error {
	s, err := cardText(v)
	if err == nil {
		id.DocumentType, err = ParseDocumentType(s)
	}
	return err
}

func decodeSpecialStatus(id *Identity, v []byte) error {
	s, err := cardText(v)
	if err == nil {
		id.SpecialStatus, err = ParseSpecialStatus(s)
	}
	return err
}

// decodeEUStartDate reads tag 1F; an empty value means no date.
func decodeEUStartDate(id *Identity, v []byte) error {
	s, err := cardText(v)
	if err != nil || s == "" {
		return err
	}
	t, err := cardDate(s)
	id.EUStartDateRaw, id.EUStartDate = s, &t
	return err
}

// decodeProtection reads tag 15, "dd.MM.yyyy-CC" such as "13.08.2014-IT";
// an empty value means no protection.
func decodeProtection(id *Identity, v []byte) error {
	s, err := cardText(v)
	if err != nil || s == "" {
		return err
	}
	id.ProtectionRaw = s
	day, country, ok := strings.Cut(s, "-")
	if !ok || len(country) != 2 || !isUpperLetters(country) {
		return fmt.Errorf("%q: want dd.MM.yyyy-CC with a 2-letter country code", s)
	}
	t, err := cardDate(day)
	if err != nil {
		return err
	}
	id.ProtectionDate, id.ProtectionCountry = &t, country
	return nil
}

func isUpperLetters(s string) bool {
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
