package virtualcard

import (
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"
)

// TrustPEM holds the card's root and issuing CA, in that order, and the
// authentication certificate chains to them.
func TestTrustPEM(t *testing.T) {
	c, _, err := NewContent(Options{}, time.Now(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.TrustPEM()
	if err != nil {
		t.Fatal(err)
	}
	var certs []*x509.Certificate
	for blk, rest := pem.Decode(b); blk != nil; blk, rest = pem.Decode(rest) {
		cert, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, cert)
	}
	if len(certs) != 2 || certs[0].CheckSignatureFrom(certs[0]) != nil || certs[1].CheckSignatureFrom(certs[0]) != nil {
		t.Fatalf("want the self-signed root, then a CA it issued; got %d certificates", len(certs))
	}
	der, _ := CertDER(c.Files[pathAuthCert])
	auth, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(certs[0])
	inter.AddCert(certs[1])
	if _, err := auth.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		t.Errorf("the authentication certificate does not chain to them: %v", err)
	}
	delete(c.Files, pathCACert)
	if _, err := c.TrustPEM(); err == nil {
		t.Error("no error without the CA file")
	}
}
