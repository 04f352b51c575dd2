package eid

import "time"

// Identity is the identity file 4031 (beid-card.md §5.2), decoded.
//
// Parsing policy: a malformed value of a known tag (bad UTF-8, a date that
// is not DD.MM.YYYY, an unreadable birth date) is an error naming the tag,
// but an unknown code in an enumeration (sex letter, document type,
// special status) is kept as is, since new codes keep appearing. Text is
// stripped of trailing spaces. Unknown tags are kept in Unknown.
type Identity struct {
	StructureVersion *int `json:"structureVersion,omitempty"` // tag 00, when present

	CardNumber           string        `json:"cardNumber"`    // 01
	ChipNumber           HexBytes      `json:"chipNumber"`    // 02
	ValidityStart        time.Time     `json:"validityStart"` // 03, 00:00 UTC
	ValidityStartRaw     string        `json:"validityStartRaw"`
	ValidityEnd          time.Time     `json:"validityEnd"` // 04, 00:00 UTC; the card is valid through this day
	ValidityEndRaw       string        `json:"validityEndRaw"`
	DeliveryMunicipality string        `json:"deliveryMunicipality"` // 05
	NationalNumber       string        `json:"nationalNumber"`       // 06, see ParseNationalNumber
	Surname              string        `json:"surname"`              // 07
	GivenNames           string        `json:"givenNames"`           // 08, the first two, space-separated
	ThirdNameInitial     string        `json:"thirdNameInitial"`     // 09
	Nationality          string        `json:"nationality"`          // 0A, as printed in the card's language
	BirthLocation        string        `json:"birthLocation"`        // 0B
	BirthDate            BirthDate     `json:"birthDate"`
	Sex                  Sex           `json:"sex"`            // 0D; SexUnknown for an unrecognised letter
	SexRaw               string        `json:"sexRaw"`         // 0D as on the card (M, F, V, W)
	NobleCondition       string        `json:"nobleCondition"` // 0E
	DocumentType         DocumentType  `json:"documentType"`
	SpecialStatus        SpecialStatus `json:"specialStatus"`       // 10; code 0 when absent
	PhotoHash            HexBytes      `json:"photoHash"`           // 11: SHA-1, SHA-256 or SHA-384 of 4035
	Duplicate            string        `json:"duplicate"`           // 12
	SpecialOrganisation  string        `json:"specialOrganisation"` // 13
	MemberOfFamily       bool          `json:"memberOfFamily"`      // 14: true when the tag is present

	ProtectionRaw     string     `json:"protectionRaw"` // 15: dd.MM.yyyy-CC
	ProtectionDate    *time.Time `json:"protectionDate,omitempty"`
	ProtectionCountry string     `json:"protectionCountry"` // ISO 3166 alpha-2

	WorkPermit         string     `json:"workPermit"`             // 16
	EmployerVAT1       string     `json:"employerVAT1"`           // 17
	EmployerVAT2       string     `json:"employerVAT2"`           // 18
	RegionalFileNumber string     `json:"regionalFileNumber"`     // 19
	BasicKeyHash       HexBytes   `json:"basicKeyHash,omitempty"` // 1A: SHA-384 of 4040 (applet 1.8)
	BrexitMention1     string     `json:"brexitMention1"`         // 1B
	BrexitMention2     string     `json:"brexitMention2"`         // 1C
	CardAMention1      string     `json:"cardAMention1"`          // 1D
	CardAMention2      string     `json:"cardAMention2"`          // 1E
	EUStartDate        *time.Time `json:"euStartDate,omitempty"`  // 1F
	EUStartDateRaw     string     `json:"euStartDateRaw"`

	Unknown map[byte][]byte `json:"unknown,omitempty"`
}

// Identity file tags that verification reads directly.
const (
	TagPhotoHash    byte = 0x11
	TagBasicKeyHash byte = 0x1A
)

// ParseIdentity decodes the identity file 4031; zero padding after the
// data is ignored. A missing mandatory tag is a *MissingTagError.
func ParseIdentity(b []byte) (*Identity, error) {
	id := &Identity{SpecialStatus: SpecialStatus{Known: true}} // tag 10 defaults to 0
	res, err := decodeTLVFile("identity", b, identitySpecs, id)
	if err != nil {
		return nil, err
	}
	id.StructureVersion, id.Unknown = res.version, res.unknown
	return id, nil
}
