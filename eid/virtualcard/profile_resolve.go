package virtualcard

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Defaults per card language: a plausible Belgian address and birth place.
var langDefaults = map[string]struct{ street, zip, town, belgian, foreign string }{
	"nl": {"Kerkstraat 12", "3000", "Leuven", "Belg", "Nederlander"},
	"fr": {"Rue de la Station 12", "5000", "Namur", "Belge", "Néerlandais"},
	"de": {"Kirchstraße 12", "4700", "Eupen", "Belgier", "Niederländer"},
}

const (
	defaultSurname    = "Peeters"
	defaultGivenNames = "Jan Pieter Karel"
	defaultBirthDate  = "1985-03-14"
	defaultPIN        = "1234"
)

// resolve applies defaults to o and validates it into the card's Identity.
func resolve(o Options, now time.Time) (*Identity, error) {
	lang, err := langCode(or(o.Language, "nl"))
	if err != nil {
		return nil, err
	}
	d := langDefaults[lang]
	id := &Identity{Language: lang, Foreigner: o.Foreigner, SpecialStatus: "0", Duplicate: "00"}
	id.AuthCert = !o.NoAuthCert && !o.Kids
	id.SignCert = !o.NoSignCert && !o.Kids
	if err := resolveNames(id, o); err != nil {
		return nil, err
	}
	if err := resolveBirth(id, o, lang, now); err != nil {
		return nil, err
	}
	id.Nationality = or(o.Nationality, pickStr(o.Foreigner, d.foreign, d.belgian))
	id.BirthPlace = or(o.BirthPlace, d.town)
	id.NobleCondition = o.NobleCondition
	id.Street = or(o.Street, d.street)
	id.ZIP = or(o.ZIP, d.zip)
	id.Municipality = or(o.Municipality, d.town)
	id.IssuingMunicipality = or(o.IssuingMunicipality, id.Municipality)
	for _, f := range []struct{ name, v string }{
		{"nationality", id.Nationality}, {"birth place", id.BirthPlace},
		{"noble condition", id.NobleCondition}, {"street", id.Street}, {"zip", id.ZIP},
		{"municipality", id.Municipality}, {"issuing municipality", id.IssuingMunicipality},
	} {
		if err := checkText(f.name, f.v, f.name == "noble condition"); err != nil {
			return nil, err
		}
	}
	if err := resolveDocument(id, o, now); err != nil {
		return nil, err
	}
	return id, nil
}

func resolveNames(id *Identity, o Options) error {
	id.Surname = or(strings.TrimSpace(o.Surname), defaultSurname)
	if err := checkText("surname", id.Surname, false); err != nil {
		return err
	}
	given := strings.Fields(o.GivenNames)
	if o.GivenNames == "" {
		given = strings.Fields(defaultGivenNames)
	}
	id.GivenNames = strings.Join(given[:min(2, len(given))], " ")
	if len(given) > 2 {
		r, _ := utf8.DecodeRuneInString(given[2])
		id.ThirdInitial = string(r)
	}
	return checkText("given names", id.GivenNames, true)
}

// resolveBirth settles birth date, sex and national number, deriving
// whichever is missing and refusing a combination that disagrees.
func resolveBirth(id *Identity, o Options, lang string, now time.Time) error {
	var nn NationalNumber
	haveNN := o.NationalNumber != ""
	if haveNN {
		var err error
		if nn, err = ParseNationalNumber(o.NationalNumber); err != nil {
			return err
		}
	}
	bdText := o.BirthDate
	if bdText == "" && !haveNN {
		bdText = defaultBirthDate
		if o.Kids {
			bdText = fmt.Sprintf("%04d-05-20", now.Year()-8)
		}
	}
	bd := birthDate{nn.Year, nn.Month, nn.Day}
	if bdText != "" {
		var err error
		if bd, err = parseBirthDate(bdText); err != nil {
			return err
		}
		if haveNN && !bd.matches(nn) {
			return fmt.Errorf("birth date %s does not match national number %s", bdText, o.NationalNumber)
		}
	}
	sex := strings.ToUpper(o.Sex)
	switch {
	case sex == "" && haveNN:
		sex = pickStr(nn.Male(), "M", "F")
	case sex == "":
		sex = "M"
	case sex != "M" && sex != "F":
		return fmt.Errorf("sex %q: want M or F", o.Sex)
	case haveNN && nn.Male() != (sex == "M"):
		return fmt.Errorf("sex %s does not match national number %s (odd sequence: man, even: woman)", sex, o.NationalNumber)
	}
	if !haveNN {
		nn = NationalNumber{Year: bd.Year, Seq: sequenceFor(id.Surname+id.GivenNames, sex == "M")}
		if !bd.yearOnly() {
			nn.Month, nn.Day = bd.Month, bd.Day
		}
	}
	id.NationalNumber = nn.String()
	id.BirthDate = bd.Card(lang)
	id.Sex = cardSex(sex, lang)
	return nil
}

// sequenceFor picks a stable SSS from the name: odd for men, even for women.
func sequenceFor(name string, male bool) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	if male {
		return 1 + 2*int(h.Sum32()%499)
	}
	return 2 + 2*int(h.Sum32()%498)
}

// cardSex is tag 0D: M, or the card language's letter for female.
func cardSex(sex, lang string) string {
	if sex == "M" {
		return "M"
	}
	return map[string]string{"fr": "F", "nl": "V", "de": "W"}[lang]
}

// checkText refuses text the card cannot hold: bad UTF-8, control
// characters, or more bytes than the field allows.
func checkText(name, v string, mayBeEmpty bool) error {
	switch {
	case v == "" && !mayBeEmpty:
		return fmt.Errorf("%s: must not be empty", name)
	case !utf8.ValidString(v):
		return fmt.Errorf("%s: not valid UTF-8", name)
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fmt.Errorf("%s %q: contains a control character", name, v)
	case len(v) > fieldMax[name]:
		return fmt.Errorf("%s %q: %d bytes, the card holds at most %d", name, v, len(v), fieldMax[name])
	}
	return nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func pickStr(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
