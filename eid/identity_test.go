package eid

import (
	"bytes"
	"crypto"
	"errors"
	"testing"
	"time"
)

// foreignerFields are the tags 14..1F of a foreigner card, plus a tag no
// document defines yet.
func foreignerFields(keyHash []byte) []TLVField {
	return []TLVField{
		tlvOf(0x14, ""),
		tlvOf(0x15, "13.08.2014-IT"),
		tlvOf(0x16, "8"),
		tlvOf(0x17, "0123.456.789"),
		tlvOf(0x18, "0987.654.321"),
		tlvOf(0x19, "RF-2024-00123"),
		{Tag: 0x1A, Value: keyHash},
		tlvOf(0x1B, "B"),
		tlvOf(0x1C, "C"),
		tlvOf(0x1D, "D"),
		tlvOf(0x1E, "K"),
		tlvOf(0x1F, "01.02.2022"),
		tlvOf(0x25, "future"),
	}
}

func fullIdentity() (file, photoHash, keyHash []byte) {
	photoHash = hashOf(crypto.SHA384, samplePhoto(0))
	keyHash = hashOf(crypto.SHA384, []byte("basic key"))
	fields := append(citizenFields(photoHash), foreignerFields(keyHash)...)
	file = encodeSorted(fields...)
	return append(file, make([]byte, 40)...), photoHash, keyHash
}

func utcDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseIdentityEveryTag(t *testing.T) {
	file, photoHash, keyHash := fullIdentity()
	id, err := ParseIdentity(file)
	if err != nil {
		t.Fatal(err)
	}
	strs := []struct{ name, got, want string }{
		{"card number", id.CardNumber, "592123456789"},
		{"validity start raw", id.ValidityStartRaw, "15.03.2021"},
		{"validity end raw", id.ValidityEndRaw, "15.03.2031"},
		{"municipality", id.DeliveryMunicipality, "Brussel"},
		{"national number", id.NationalNumber, "67063029659"},
		{"surname", id.Surname, "De Smet"},
		{"given names", id.GivenNames, "Marie Anne"},
		{"third initial", id.ThirdNameInitial, "J"},
		{"nationality", id.Nationality, "Belg"},
		{"birth location", id.BirthLocation, "Gent"},
		{"birth date raw", id.BirthDate.Raw, "30 JUN 1967"},
		{"sex", string(id.Sex), "F"},
		{"sex raw", id.SexRaw, "V"},
		{"noble condition", id.NobleCondition, ""},
		{"document type", id.DocumentType.Name, "Belgian citizen eID"},
		{"special status", id.SpecialStatus.Raw, "0"},
		{"duplicate", id.Duplicate, "00"},
		{"special organisation", id.SpecialOrganisation, ""},
		{"protection", id.ProtectionRaw, "13.08.2014-IT"},
		{"protection country", id.ProtectionCountry, "IT"},
		{"work permit", id.WorkPermit, "8"},
		{"VAT 1", id.EmployerVAT1, "0123.456.789"},
		{"VAT 2", id.EmployerVAT2, "0987.654.321"},
		{"regional file", id.RegionalFileNumber, "RF-2024-00123"},
		{"Brexit 1", id.BrexitMention1, "B"},
		{"Brexit 2", id.BrexitMention2, "C"},
		{"card A 1", id.CardAMention1, "D"},
		{"card A 2", id.CardAMention2, "K"},
		{"EU start raw", id.EUStartDateRaw, "01.02.2022"},
	}
	for _, s := range strs {
		if s.got != s.want {
			t.Errorf("%s = %q, want %q", s.name, s.got, s.want)
		}
	}
	times := []struct {
		name string
		got  *time.Time
		want time.Time
	}{
		{"validity start", &id.ValidityStart, utcDate(2021, 3, 15)},
		{"validity end", &id.ValidityEnd, utcDate(2031, 3, 15)},
		{"protection date", id.ProtectionDate, utcDate(2014, 8, 13)},
		{"EU start date", id.EUStartDate, utcDate(2022, 2, 1)},
	}
	for _, tm := range times {
		if tm.got == nil || !tm.got.Equal(tm.want) {
			t.Errorf("%s = %v, want %v", tm.name, tm.got, tm.want)
		}
	}
	if id.BirthDate != (BirthDate{1967, 6, 30, "30 JUN 1967"}) {
		t.Errorf("birth date = %+v", id.BirthDate)
	}
	if id.DocumentType.Code != 1 || id.SpecialStatus.Code != 0 || !id.SpecialStatus.Known {
		t.Errorf("document type %+v, special status %+v", id.DocumentType, id.SpecialStatus)
	}
	if !bytes.Equal(id.ChipNumber, testChip) || !bytes.Equal(id.PhotoHash, photoHash) || !bytes.Equal(id.BasicKeyHash, keyHash) {
		t.Errorf("binary fields: chip %x photo %x key %x", id.ChipNumber, id.PhotoHash, id.BasicKeyHash)
	}
	if !id.MemberOfFamily {
		t.Error("member of family: tag 14 present with length 0 means true")
	}
	if id.StructureVersion != nil {
		t.Errorf("structure version = %d, want absent", *id.StructureVersion)
	}
	if len(id.Unknown) != 1 || string(id.Unknown[0x25]) != "future" {
		t.Errorf("unknown tags = %q, want tag 25 kept", id.Unknown)
	}
	file[bytes.Index(file, testChip)] ^= 0xFF
	if !bytes.Equal(id.ChipNumber, testChip) {
		t.Error("parsed identity aliases the input buffer")
	}
}

func TestParseIdentityDefaults(t *testing.T) {
	fields := citizenFields(make([]byte, 20))
	var minimal []TLVField
	for _, f := range fields {
		if identitySpecs[f.Tag].required {
			minimal = append(minimal, f)
		}
	}
	id, err := ParseIdentity(append([]byte{0x00, 0x02, 0x00, 0x02}, encodeSorted(minimal...)...))
	if err != nil {
		t.Fatal(err)
	}
	if id.StructureVersion == nil || *id.StructureVersion != 2 {
		t.Errorf("structure version = %v, want 2", id.StructureVersion)
	}
	if id.MemberOfFamily || !id.SpecialStatus.Known || id.SpecialStatus.Code != 0 || id.Unknown != nil ||
		id.ProtectionDate != nil || id.EUStartDate != nil || id.BasicKeyHash != nil {
		t.Errorf("absent optional tags decoded as %+v", id)
	}
}

func TestParseIdentityMissingTag(t *testing.T) {
	required := []byte{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0A, 0x0B, 0x0C, 0x0D, 0x0F, 0x11}
	for _, tag := range required {
		var fields []TLVField
		for _, f := range citizenFields(make([]byte, 20)) {
			if f.Tag != tag {
				fields = append(fields, f)
			}
		}
		_, err := ParseIdentity(encodeSorted(fields...))
		var missing *MissingTagError
		if !errors.As(err, &missing) || missing.Tag != tag || missing.File != "identity" || missing.Field == "" {
			t.Errorf("without tag %02X: err = %v, want a MissingTagError for it", tag, err)
		}
	}
}
