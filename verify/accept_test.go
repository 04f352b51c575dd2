package verify_test

import (
	"crypto/x509"
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/verify"
)

// TestAcceptFixtureCards: tokens made with the virtual cards' own
// authentication keys, the way each applet signs.
func TestAcceptFixtureCards(t *testing.T) {
	tests := []struct{ card, alg string }{
		{"citizen-1.7", "RS256"}, // what the 1.7 card gives
		{"citizen-1.7", "RS384"}, // PKCS#1 v1.5 with another hash
		{"citizen-1.7", "PS256"}, // the 1.7 applet's PSS
		{"citizen-1.8", "ES384"}, // what the 1.8 card gives
		{"foreigner-1.8", "ES384"},
		{"utf8-1.8", "ES384"},
	}
	for _, tc := range tests {
		t.Run(tc.card+"/"+tc.alg, func(t *testing.T) {
			f := loadFixture(t, tc.card)
			tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: tc.alg})
			c, err := f.validator(t).Validate(tok, testNonce)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if c.NationalNumber.Digits != f.auth.Subject.SerialNumber || c.Surname == "" || c.GivenNames == "" {
				t.Errorf("citizen %+v does not match subject %q", c, f.auth.Subject)
			}
			if c.CommonName != f.auth.Subject.CommonName || !c.Certificate.Equal(f.auth) || c.Algorithm != tc.alg {
				t.Errorf("citizen %q/%q/%s, want %q/%s", c.CommonName, c.Certificate.Subject, c.Algorithm, f.auth.Subject.CommonName, tc.alg)
			}
			if len(c.Chain) != 3 || !c.Chain[0].Equal(f.auth) {
				t.Errorf("chain of %d certificates, want leaf, Citizen CA, root", len(c.Chain))
			}
			if c.RevocationChecked || c.Revocation != verify.RevocationNotChecked {
				t.Errorf("revocation %v %q without a checker", c.RevocationChecked, c.Revocation)
			}
		})
	}
}

// TestAcceptCitizenNames checks the names against the fixture's subject.
func TestAcceptCitizenNames(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	c, err := f.validator(t).Validate(makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384"}), testNonce)
	if err != nil {
		t.Fatal(err)
	}
	if c.Surname != "Dubois" || c.GivenNames != "Marie Claire" || c.NationalNumber.Year != 1979 {
		t.Errorf("citizen %q %q born %d, want Dubois, Marie Claire, 1979", c.Surname, c.GivenNames, c.NationalNumber.Year)
	}
}

// TestAcceptGeneratedKeys covers the algorithms the fixtures cannot make.
func TestAcceptGeneratedKeys(t *testing.T) {
	p := getGenPKI(t)
	tests := []struct{ key, alg string }{
		{"P-256", "ES256"}, {"P-384", "ES384"}, {"P-521", "ES512"},
		{"RSA", "RS256"}, {"RSA", "RS384"}, {"RSA", "RS512"},
		{"RSA", "PS256"}, {"RSA", "PS384"}, {"RSA", "PS512"},
	}
	for _, tc := range tests {
		t.Run(tc.alg+"/"+tc.key, func(t *testing.T) {
			k := genKey(t, tc.key)
			cert := p.leaf(t, k.Public(), nil)
			c, err := p.validator(t).Validate(makeToken(t, k, cert, tokenSpec{alg: tc.alg}), testNonce)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if c.Surname != "Peeters" || c.GivenNames != "Jan Pieter" || c.NationalNumber.Digits != genNationalNumber {
				t.Errorf("citizen %+v", c)
			}
		})
	}
}

// TestAcceptClientAuthEKU: an EKU that includes clientAuth is fine.
func TestAcceptClientAuthEKU(t *testing.T) {
	p := getGenPKI(t)
	k := genKey(t, "P-256")
	cert := p.leaf(t, k.Public(), func(c *x509.Certificate) {
		c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageClientAuth}
	})
	if _, err := p.validator(t).Validate(makeToken(t, k, cert, tokenSpec{alg: "ES256"}), testNonce); err != nil {
		t.Fatal(err)
	}
}

// TestAcceptLaterFormat: web-eid:1.x tokens share 1.0's rules.
func TestAcceptLaterFormat(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	for _, format := range []string{"web-eid:1", "web-eid:1.1"} {
		if _, err := f.validator(t).Validate(makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384", format: format}), testNonce); err != nil {
			t.Errorf("%s: %v", format, err)
		}
	}
}

type fakeRevocation struct {
	err   error
	calls int
	chain int
}

func (r *fakeRevocation) CheckRevocation(chain []*x509.Certificate) error {
	r.calls++
	r.chain = len(chain)
	return r.err
}

func TestRevocationHook(t *testing.T) {
	f := loadFixture(t, "citizen-1.7")
	tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "RS256"})

	good := &fakeRevocation{}
	c, err := f.validator(t, func(c *verify.Config) { c.Revocation = good }).Validate(tok, testNonce)
	if err != nil || !c.RevocationChecked || c.Revocation != verify.RevocationGood || good.calls != 1 || good.chain != 3 {
		t.Errorf("good certificate: %v, %+v, checker %+v", err, c, good)
	}

	revoked := &fakeRevocation{err: errors.New("OCSP: revoked")}
	_, err = f.validator(t, func(c *verify.Config) { c.Revocation = revoked }).Validate(tok, testNonce)
	if !errors.Is(err, verify.ErrRevocation) {
		t.Errorf("revoked certificate: %v, want ErrRevocation", err)
	}
}
