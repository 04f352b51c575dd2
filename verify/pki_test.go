package verify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/verify"
)

// genPKI is a generated root → CA → leaf PKI for the key types and
// certificate defects the fixtures do not have.
type genPKI struct {
	rootKey, caKey *ecdsa.PrivateKey
	root, ca       *x509.Certificate
	roots, inter   *x509.CertPool
	serial         int64
}

// genNow is inside every generated certificate's validity.
var genNow = time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)

// A valid national number (check digits 36 for 850314865).
const genNationalNumber = "85031486536"

var (
	genOnce sync.Once
	genP    *genPKI
	genKeys map[string]crypto.Signer
	genErr  error
)

func getGenPKI(t testing.TB) *genPKI {
	t.Helper()
	genOnce.Do(func() { genP, genKeys, genErr = newGenPKI() })
	if genErr != nil {
		t.Fatalf("generated PKI: %v", genErr)
	}
	return genP
}

// genKey returns a cached leaf key: "P-256", "P-384", "P-521" or "RSA".
func genKey(t testing.TB, name string) crypto.Signer {
	getGenPKI(t)
	return genKeys[name]
}

func newGenPKI() (*genPKI, map[string]crypto.Signer, error) {
	p := &genPKI{}
	var err error
	if p.rootKey, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
		return nil, nil, err
	}
	if p.caKey, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
		return nil, nil, err
	}
	ca := func(cn string) *x509.Certificate {
		return &x509.Certificate{Subject: pkix.Name{CommonName: cn}, NotBefore: genNow.AddDate(-5, 0, 0),
			NotAfter: genNow.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	}
	if p.root, err = p.issue(ca("Gen Root"), nil, p.rootKey.Public(), p.rootKey); err != nil {
		return nil, nil, err
	}
	if p.ca, err = p.issue(ca("Gen Citizen CA"), p.root, p.caKey.Public(), p.rootKey); err != nil {
		return nil, nil, err
	}
	p.roots, p.inter = x509.NewCertPool(), x509.NewCertPool()
	p.roots.AddCert(p.root)
	p.inter.AddCert(p.ca)
	keys := map[string]crypto.Signer{}
	for name, c := range map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()} {
		if keys[name], err = ecdsa.GenerateKey(c, rand.Reader); err != nil {
			return nil, nil, err
		}
	}
	if keys["RSA"], err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return nil, nil, err
	}
	return p, keys, nil
}

func (p *genPKI) issue(tmpl, parent *x509.Certificate, pub crypto.PublicKey, key crypto.Signer) (*x509.Certificate, error) {
	p.serial++
	tmpl.SerialNumber = big.NewInt(p.serial)
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// leaf issues a Belgian-style authentication certificate for pub; mod
// alters the template first.
func (p *genPKI) leaf(t testing.TB, pub crypto.PublicKey, mod func(*x509.Certificate)) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		Subject: pkix.Name{Country: []string{"BE"}, CommonName: "Jan Peeters (Authentication)",
			SerialNumber: genNationalNumber, ExtraNames: []pkix.AttributeTypeAndValue{
				{Type: asn1.ObjectIdentifier{2, 5, 4, 4}, Value: "Peeters"},
				{Type: asn1.ObjectIdentifier{2, 5, 4, 42}, Value: "Jan Pieter"},
			}},
		NotBefore: genNow.AddDate(-1, 0, 0), NotAfter: genNow.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if mod != nil {
		mod(tmpl)
	}
	c, err := p.issue(tmpl, p.ca, pub, p.caKey)
	if err != nil {
		t.Fatalf("issuing leaf: %v", err)
	}
	return c.Raw
}

func (p *genPKI) validator(t testing.TB, mod ...func(*verify.Config)) *verify.Validator {
	t.Helper()
	return newValidator(t, p.roots, p.inter, genNow, mod...)
}
