package virtualcard

import (
	"fmt"
	"os"
	"path/filepath"
)

// Fixtures are the card profiles shipped in testdata/ for tests: every
// card type the reader side must handle. They share one test PKI per key
// family in testdata/pki. All PINs are the default 1234.
var Fixtures = map[string]Options{
	"citizen-1.7": {Applet: Applet17},
	"citizen-1.8": {Applet: Applet18, Language: "fr", Surname: "Dubois", GivenNames: "Marie Claire", Sex: "F", BirthDate: "1979-08-02"},
	"foreigner-1.8": {Applet: Applet18, Language: "de", Foreigner: true, Surname: "Jansen", GivenNames: "Pieter Hendrik",
		BirthDate: "1990-12-24", BirthPlace: "Utrecht"},
	"kids-1.7": {Applet: Applet17, Kids: true, Surname: "Peeters", GivenNames: "Lotte", Sex: "F", BirthDate: "2017-05-20"},
	"utf8-1.8": {Applet: Applet18, Language: "fr", Surname: "Ørsted-Müller", GivenNames: "Émilie Françoise Ægidia",
		Sex: "F", BirthDate: "2001-09-07", BirthPlace: "Liège", Street: "Rue de l'Université 25", ZIP: "4000",
		Municipality: "Liège"},
	"yearonly-1.7": {Applet: Applet17, Surname: "Janssens", GivenNames: "Frans", BirthDate: "1950"},
}

// FixturePKIDir is the shared PKI's sub-directory in a fixtures directory.
const FixturePKIDir = "pki"

// WriteFixtures regenerates every fixture profile under dir, replacing
// old ones and the shared PKI. Keys are random, so the output differs on
// every run; tests rely on the committed copy.
func WriteFixtures(dir string) error {
	pkiDir := filepath.Join(dir, FixturePKIDir)
	if err := os.RemoveAll(pkiDir); err != nil {
		return fmt.Errorf("fixtures: %w", err)
	}
	for name, opts := range Fixtures {
		out := filepath.Join(dir, name)
		if err := os.RemoveAll(out); err != nil {
			return fmt.Errorf("fixtures: %w", err)
		}
		opts.PKIDir = pkiDir
		if err := Init(out, opts); err != nil {
			return fmt.Errorf("fixture %s: %w", name, err)
		}
	}
	return nil
}
