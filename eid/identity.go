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
	StructureVersion *int `json:",omitempty"` // tag 00, when present

	CardNumber           string    // 01
	ChipNumber           HexBytes  // 02
	ValidityStart        time.Time // 03, 00:00 UTC
	ValidityStartRaw     string
	ValidityEnd          time.Time // 04, 00:00 UTC; the card is valid through this day
	ValidityEndRaw       string
	DeliveryMunicipality string // 05
	NationalNumber       string // 06, see ParseNationalNumber
	Surname              string // 07
	GivenNames           string // 08, the first two, space-separated
	ThirdNameInitial     string // 09
	Nationality          string // 0A, as printed in the card's language
	BirthLocation        string // 0B
	BirthDate            BirthDate
	Sex                  Sex    // 0D; SexUnknown for an unrecognised letter
	SexRaw               string // 0D as on the card (M, F, V, W)
	NobleCondition       string // 0E
	DocumentType         DocumentType
	SpecialStatus        SpecialStatus // 10; code 0 when absent
	PhotoHash            HexBytes      // 11: SHA-1, SHA-256 or SHA-384 of 4035
	Duplicate            string        // 12
	SpecialOrganisation  string        // 13
	MemberOfFamily       bool          // 14: true when the tag is present

	ProtectionRaw     string     // 15: dd.MM.yyyy-CC
	ProtectionDate    *time.Time `json:",omitempty"`
	ProtectionCountry string     // ISO 3166 alpha-2

	WorkPermit         string     // 16
	EmployerVAT1       string     // 17
	EmployerVAT2       string     // 18
	RegionalFileNumber string     // 19
	BasicKeyHash       HexBytes   `json:",omitempty"` // 1A: SHA-384 of 4040 (applet 1.8)
	BrexitMention1     string     // 1B
	BrexitMention2     string     // 1C
	CardAMention1      string     // 1D
	CardAMention2      string     // 1E
	EUStartDate        *time.Time `json:",omitempty"` // 1F
	EUStartDateRaw     string

	Unknown map[byte][]byte `json:",omitempty"`
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
