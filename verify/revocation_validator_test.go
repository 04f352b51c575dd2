package verify_test

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/eidbridge/eidbridge/verify"
)

// TestValidatorRevocation: the Validator asks the checker after the
// signature verifies, refuses a revoked token with both sentinels, and
// reports what the checker found.
func TestValidatorRevocation(t *testing.T) {
	p := getRevPKI(t)
	for _, alg := range []string{"ES384", "RS256"} {
		t.Run(alg, func(t *testing.T) {
			key := genKey(t, map[string]string{"ES384": "P-384", "RS256": "RSA"}[alg])
			srv := newRevServer(t, p)
			chain := p.revLeaf(t, key, srv.URL())
			tok := makeToken(t, key, chain[0].Raw, tokenSpec{alg: alg})
			withOCSP := func(c *verify.Config) { c.Revocation = ocspChecker(newClock(genNow)) }

			cz, err := p.validator(t, withOCSP).Validate(tok, testNonce)
			if err != nil {
				t.Fatalf("good certificate: %v", err)
			}
			if !cz.RevocationChecked || !strings.HasPrefix(cz.Revocation, "good: OCSP at "+srv.URL()) {
				t.Errorf("Citizen says %v, %q", cz.RevocationChecked, cz.Revocation)
			}

			srv.set(func(a *ocspAnswer) {
				a.status, a.reason, a.revokedAt = ocsp.Revoked, ocsp.KeyCompromise, genNow.Add(-time.Hour)
			})
			cz, err = p.validator(t, withOCSP).Validate(tok, testNonce)
			if cz != nil || !errors.Is(err, verify.ErrRevoked) || !errors.Is(err, verify.ErrRevocation) {
				t.Fatalf("revoked certificate: %+v, %v", cz, err)
			}
			if strings.Contains(err.Error(), genNationalNumber) {
				t.Errorf("%q names the national number", err)
			}
		})
	}
}

func TestValidatorRevocationCRL(t *testing.T) {
	p := getRevPKI(t)
	key := genKey(t, "P-384")
	srv := newRevServer(t, p)
	chain := p.revLeaf(t, key, srv.URL())
	srv.setCRL(makeCRL(t, p.ca, p.caKey, nil))
	v := p.validator(t, func(c *verify.Config) { c.Revocation = crlChecker(newClock(genNow)) })
	cz, err := v.Validate(makeToken(t, key, chain[0].Raw, tokenSpec{alg: "ES384"}), testNonce)
	if err != nil || !strings.HasPrefix(cz.Revocation, "good: not in the CRL at ") {
		t.Fatalf("%+v, %v", cz, err)
	}
}

// funcChecker is a RevocationChecker that is not a RevocationReporter.
type funcChecker func(chain []*x509.Certificate) error

func (f funcChecker) CheckRevocation(chain []*x509.Certificate) error { return f(chain) }

// TestValidatorCustomChecker: any checker's error is made to wrap
// ErrRevocation, and its own error stays visible.
func TestValidatorCustomChecker(t *testing.T) {
	p := getRevPKI(t)
	key := genKey(t, "P-384")
	chain := p.revLeaf(t, key, "")
	tok := makeToken(t, key, chain[0].Raw, tokenSpec{alg: "ES384"})
	mine := errors.New("my own store says no")
	var got []*x509.Certificate
	v := p.validator(t, func(c *verify.Config) {
		c.Revocation = funcChecker(func(ch []*x509.Certificate) error { got = ch; return mine })
	})
	if _, err := v.Validate(tok, testNonce); !errors.Is(err, verify.ErrRevocation) || !errors.Is(err, mine) {
		t.Fatalf("got %v", err)
	}
	if len(got) != 3 || !got[0].Equal(chain[0]) || !got[1].Equal(p.ca) || !got[2].Equal(p.root) {
		t.Errorf("checker got a chain of %d, want leaf, CA, root", len(got))
	}
	v = p.validator(t, func(c *verify.Config) { c.Revocation = funcChecker(func([]*x509.Certificate) error { return nil }) })
	if cz, err := v.Validate(tok, testNonce); err != nil || cz.Revocation != verify.RevocationGood || !cz.RevocationChecked {
		t.Errorf("%+v, %v", cz, err)
	}
}

// TestIdentityRRNRevocation: with a checker in IdentityOptions the
// National Register certificate is checked too, against its root.
func TestIdentityRRNRevocation(t *testing.T) {
	p := getRevPKI(t)
	f := loadFixture(t, "citizen-1.8")
	root, rootKey := fixtureRoot(t, "ec")
	srv := newRevServer(t, p)
	srv.set(func(a *ocspAnswer) {
		a.issuer, a.signer, a.key = root, root, rootKey
		a.thisUpdate, a.nextUpdate = f.now.Add(-time.Minute), f.now.Add(time.Hour)
	})
	opts := func() verify.IdentityOptions {
		o := f.identityOptions()
		// The fixture's RRN certificate names no responder.
		o.Revocation = verify.NewOCSPChecker(verify.OCSPConfig{Responder: srv.URL() + "/ocsp", Now: func() time.Time { return f.now }})
		return o
	}

	id, err := verify.VerifyIdentity(identityData(f), opts())
	if err != nil || id.Identity == nil || !strings.HasPrefix(id.Revocation, "good: OCSP at ") {
		t.Fatalf("good RRN certificate: %+v, %v", id, err)
	}
	if id, _ := verify.VerifyIdentity(identityData(f), f.identityOptions()); id.Revocation != verify.RevocationNotChecked {
		t.Errorf("without a checker: %q", id.Revocation)
	}

	var got []*x509.Certificate
	o := f.identityOptions()
	o.Revocation = funcChecker(func(ch []*x509.Certificate) error { got = ch; return nil })
	if _, err := verify.VerifyIdentity(identityData(f), o); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !strings.Contains(got[0].Subject.String(), "RRN") || !got[1].Equal(root) {
		t.Errorf("checker got %d certificates, want the RRN certificate and its root", len(got))
	}

	srv.set(func(a *ocspAnswer) { a.status, a.revokedAt = ocsp.Revoked, f.now.Add(-time.Hour) })
	id, err = verify.VerifyIdentity(identityData(f), opts())
	if !errors.Is(err, verify.ErrRevoked) || !errors.Is(err, verify.ErrRevocation) || id.Identity != nil {
		t.Fatalf("revoked RRN certificate: %+v, %v", id, err)
	}
	citizen, err := f.validator(t).Validate(makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384"}), testNonce)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verify.VerifyCitizenIdentity(citizen, identityData(f), opts()); !errors.Is(err, verify.ErrRevoked) {
		t.Errorf("VerifyCitizenIdentity: %v", err)
	}

	srv.srv.Close()
	_, err = verify.VerifyIdentity(identityData(f), opts())
	wantRevErr(t, err, verify.ErrRevocationUnreachable)
}

// fixtureRoot is the virtual cards' test root of family and its key.
func fixtureRoot(t testing.TB, family string) (*x509.Certificate, crypto.Signer) {
	t.Helper()
	dir := filepath.Join("..", "eid", "virtualcard", "testdata", "pki", family)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		blk, _ := pem.Decode(b)
		if blk == nil {
			t.Fatalf("%s: no PEM", name)
		}
		return blk.Bytes
	}
	root, err := x509.ParseCertificate(read("root.pem"))
	if err != nil {
		t.Fatal(err)
	}
	k, err := x509.ParsePKCS8PrivateKey(read("root-key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return root, k.(crypto.Signer)
}
