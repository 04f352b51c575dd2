package virtualcard

import (
	"time"
)

// Options describe a new card profile. Zero values take Belgian defaults
// (see defaults in profile_resolve.go); Init validates every field and
// refuses bad input with a specific error.
type Options struct {
	Applet   byte   // Applet17 or Applet18; 0 means 1.8
	Language string // card language nl, fr or de; default nl

	Surname        string
	GivenNames     string // all given names, space-separated
	NationalNumber string // YYMMDDSSSCC; derived from birth date and sex if empty
	BirthDate      string // YYYY-MM-DD or YYYY; derived from the national number if empty
	BirthPlace     string
	Sex            string // M or F
	Nationality    string // as printed, in the card language
	NobleCondition string

	Street       string // street and number
	ZIP          string
	Municipality string

	IssuingMunicipality string // tag 05; default the address municipality
	DocumentType        string // tag 0F, two digits; default 01, 06 kids, 11 foreigner
	CardNumber          string // 12 digits or B + 9 digits; generated if empty
	ValidFrom           time.Time

	Foreigner  bool   // foreigner card: Foreigner CA, B-number, tag 16
	WorkPermit string // tag 16 for foreigners: 7, 8, 9 or A; default 8
	Kids       bool   // kids card: document type 06, no user certificates
	NoAuthCert bool   // authentication certificate not issued
	NoSignCert bool   // signature certificate not issued

	PIN string // 4-12 digits; default 1234

	// PKIDir holds the test PKI to issue from (created when missing);
	// profiles sharing it share one test root. Default DIR/pki.
	PKIDir string
	// PKIURL is the revocation service a new PKI's certificates name
	// (DefaultRevocationURL when empty); an existing PKI keeps its own.
	PKIURL string
}

// Identity is the resolved content of the identity and address files,
// written exactly as the card stores it (dates DD.MM.YYYY, birth date
// in the card's language). card.json records it for people to read; the
// built files, not this record, are what the card serves.
type Identity struct {
	Language            string `json:"language"`
	CardNumber          string `json:"card_number"`
	ValidFrom           string `json:"valid_from"`
	ValidTo             string `json:"valid_to"`
	IssuingMunicipality string `json:"issuing_municipality"`
	NationalNumber      string `json:"national_number"`
	Surname             string `json:"surname"`
	GivenNames          string `json:"given_names"`
	ThirdInitial        string `json:"third_given_name_initial"`
	Nationality         string `json:"nationality"`
	BirthPlace          string `json:"birth_place"`
	BirthDate           string `json:"birth_date"`
	Sex                 string `json:"sex"`
	NobleCondition      string `json:"noble_condition"`
	DocumentType        string `json:"document_type"`
	SpecialStatus       string `json:"special_status"`
	Duplicate           string `json:"duplicate"`
	WorkPermit          string `json:"work_permit,omitempty"`
	Street              string `json:"street"`
	ZIP                 string `json:"zip"`
	Municipality        string `json:"municipality"`
	Foreigner           bool   `json:"foreigner"`
	AuthCert            bool   `json:"authentication_certificate"`
	SignCert            bool   `json:"signature_certificate"`

	validFrom, validTo time.Time
}

// Card validity by card type; user certificates share it.
const (
	citizenValidityYears   = 10
	kidsValidityYears      = 3
	foreignerValidityYears = 5
)

// Maximum field sizes in bytes (beid-card.md §5.2 and §5.5). The address
// limits add up, with tags and lengths, to the 117-byte address file.
var fieldMax = map[string]int{
	"surname": 90, "given names": 75, "nationality": 65, "birth place": 60,
	"noble condition": 30, "issuing municipality": 47,
	"street": 60, "zip": 4, "municipality": 47,
}
