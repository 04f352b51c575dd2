package eid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"sync"
	"testing"
	"time"
)

// testPKI is a small Belgian-eID-like PKI, generated once per test binary
// because RSA-2048 key generation is slow.
type testPKI struct {
	rootKey, caKey, authKey, basicKey *ecdsa.PrivateKey
	rrnRSA, otherRSA                  *rsa.PrivateKey
	rrnEC, otherEC                    *ecdsa.PrivateKey
	root, ca, auth, sign              *x509.Certificate
	rrnRSACert, rrnECCert             *x509.Certificate
	selfSignedRRN                     *x509.Certificate // RRN cert not issued by the root
	otherRoot                         *x509.Certificate // an unrelated root
}

var (
	pkiOnce sync.Once
	pki     *testPKI
	pkiErr  error
)

// testNow is inside every test certificate's validity.
var testNow = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func getPKI(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pki, pkiErr = newTestPKI() })
	if pkiErr != nil {
		t.Fatalf("test PKI: %v", pkiErr)
	}
	return pki
}

func newTestPKI() (*testPKI, error) {
	p := &testPKI{}
	var err error
	for _, k := range []**ecdsa.PrivateKey{&p.rootKey, &p.caKey, &p.authKey, &p.basicKey, &p.rrnEC, &p.otherEC} {
		if *k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
			return nil, err
		}
	}
	for _, k := range []**rsa.PrivateKey{&p.rrnRSA, &p.otherRSA} {
		if *k, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, err
		}
	}
	steps := []struct {
		dst    **x509.Certificate
		tmpl   *x509.Certificate
		pub    crypto.PublicKey
		parent func() *x509.Certificate
		signer crypto.Signer
	}{
		{&p.root, caTemplate(1, "Belgium Root CA Test", 1), &p.rootKey.PublicKey, nil, p.rootKey},
		{&p.otherRoot, caTemplate(2, "Other Root CA", 1), &p.otherEC.PublicKey, nil, p.otherEC},
		{&p.ca, caTemplate(3, "Citizen CA", 0), &p.caKey.PublicKey, func() *x509.Certificate { return p.root }, p.rootKey},
		{&p.rrnRSACert, rrnTemplate(4), &p.rrnRSA.PublicKey, func() *x509.Certificate { return p.root }, p.rootKey},
		{&p.rrnECCert, rrnTemplate(5), &p.rrnEC.PublicKey, func() *x509.Certificate { return p.root }, p.rootKey},
		{&p.selfSignedRRN, rrnTemplate(6), &p.rrnRSA.PublicKey, nil, p.rrnRSA},
		{&p.auth, authTemplate(7), &p.authKey.PublicKey, func() *x509.Certificate { return p.ca }, p.caKey},
		{&p.sign, signTemplate(8), &p.authKey.PublicKey, func() *x509.Certificate { return p.ca }, p.caKey},
	}
	for _, s := range steps {
		parent := s.tmpl // self-signed
		if s.parent != nil {
			parent = s.parent()
		}
		der, err := x509.CreateCertificate(rand.Reader, s.tmpl, parent, s.pub, s.signer)
		if err != nil {
			return nil, err
		}
		if *s.dst, err = x509.ParseCertificate(der); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func baseTemplate(serial int64, subject pkix.Name) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      subject,
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

func caTemplate(serial int64, cn string, pathLen int) *x509.Certificate {
	c := baseTemplate(serial, pkix.Name{Country: []string{"BE"}, CommonName: cn})
	c.IsCA, c.BasicConstraintsValid = true, true
	c.MaxPathLen, c.MaxPathLenZero = pathLen, pathLen == 0
	c.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	return c
}

func rrnTemplate(serial int64) *x509.Certificate {
	c := baseTemplate(serial, pkix.Name{Country: []string{"BE"}, Organization: []string{"RRN"}, CommonName: "RRN"})
	c.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	c.BasicConstraintsValid = true
	return c
}

func authTemplate(serial int64) *x509.Certificate {
	c := baseTemplate(serial, pkix.Name{
		Country:      []string{"BE"},
		CommonName:   "Marie De Smet (Authentication)",
		SerialNumber: "67063029659",
	})
	c.KeyUsage = x509.KeyUsageDigitalSignature
	return c
}

func signTemplate(serial int64) *x509.Certificate {
	c := authTemplate(serial)
	c.Subject.CommonName = "Marie De Smet (Signature)"
	c.KeyUsage = x509.KeyUsageContentCommitment
	return c
}

// padCert pads a DER certificate the way the card stores it.
func padCert(der []byte, padding int) []byte {
	return append(append([]byte{}, der...), make([]byte, padding)...)
}

func (p *testPKI) roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.root)
	return pool
}
