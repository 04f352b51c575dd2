package eid_test

import (
	"crypto/x509"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// filesOf maps a virtual card's stored files onto eid.Files.
func filesOf(c *virtualcard.Content) *eid.Files {
	get := func(id eid.FileID) []byte {
		return c.Files[strings.ToUpper(hex.EncodeToString(id.Path))]
	}
	return &eid.Files{
		Identity: get(eid.FileIdentity), IdentitySig: get(eid.FileIdentitySig),
		Address: get(eid.FileAddress), AddressSig: get(eid.FileAddressSig),
		Photo: get(eid.FilePhoto), BasicKey: get(eid.FileBasicKey),
		AuthCert: get(eid.FileAuthCert), SignCert: get(eid.FileSignCert),
		CACert: get(eid.FileCACert), RootCert: get(eid.FileRootCert), RRNCert: get(eid.FileRRNCert),
	}
}

// TestVerifyVirtualCardFixtures checks the parsers and the verifier
// against the virtual card's shipped profiles, which are produced by
// independent code from the same card reference.
func TestVerifyVirtualCardFixtures(t *testing.T) {
	for name := range virtualcard.Fixtures {
		t.Run(name, func(t *testing.T) {
			c, err := virtualcard.Load(filepath.Join("virtualcard", "testdata", name))
			if err != nil {
				t.Fatalf("loading fixture: %v", err)
			}
			f := filesOf(c)
			certs, err := eid.ParseCertificates(f)
			if err != nil || certs.RRN == nil || certs.Root == nil {
				t.Fatalf("certificates: %+v, %v", certs, err)
			}
			roots := x509.NewCertPool()
			roots.AddCert(certs.Root)
			r := eid.Verify(f, eid.VerifyOptions{Roots: roots, Time: certs.RRN.NotBefore.Add(24 * time.Hour)})
			for _, ch := range r.Checks {
				want := eid.StatusOK
				switch {
				case ch.Name == eid.CheckBasicKeyHash && c.Applet == virtualcard.Applet17,
					strings.HasPrefix(name, "kids") && (ch.Name == eid.CheckAuthChain || ch.Name == eid.CheckSignChain):
					want = eid.StatusNotApplicable
				}
				if ch.Status != want {
					t.Errorf("%s: %s (%s), want %s", ch.Name, ch.Status, ch.Detail, want)
				}
			}
			checkFixtureData(t, f)
		})
	}
}

func checkFixtureData(t *testing.T, f *eid.Files) {
	t.Helper()
	id, err := eid.ParseIdentity(f.Identity)
	if err != nil {
		t.Fatalf("identity: %v", err)
	}
	nn, err := eid.ParseNationalNumber(id.NationalNumber)
	if err != nil {
		t.Errorf("national number: %v", err)
	} else if bd := nn.BirthDate(); bd.Year != id.BirthDate.Year {
		t.Errorf("national number year %d, birth date %+v", bd.Year, id.BirthDate)
	}
	if id.DocumentType.Name == "" || id.Sex == eid.SexUnknown || id.Surname == "" {
		t.Errorf("identity decoded as %+v", id)
	}
	a, err := eid.ParseAddress(f.Address)
	if err != nil || a.ZIP == "" || a.Municipality == "" {
		t.Errorf("address %+v, %v", a, err)
	}
}
