package verify_test

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/verify"
)

// OCSPOrCRL asks OCSP for a certificate that names a responder and the
// CRL for one that names only a CRL, as a CA's own certificates may.
func TestOCSPOrCRL(t *testing.T) {
	p := getRevPKI(t)
	srv := newRevServer(t, p)
	srv.setCRL(makeCRL(t, p.ca, p.caKey, nil))
	clock := newClock(genNow)
	both := verify.OCSPOrCRL(verify.NewOCSPChecker(verify.OCSPConfig{Now: clock.Now, Timeout: 2 * time.Second}), crlChecker(clock))
	withOCSP := p.revLeaf(t, genKey(t, "P-256"), srv.URL())
	der := p.leaf(t, genKey(t, "P-256").Public(), func(c *x509.Certificate) {
		c.CRLDistributionPoints = []string{srv.URL() + "/crl"}
	})
	crlOnly, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		chain []*x509.Certificate
		want  string
	}{
		{"names a responder", withOCSP, "good: OCSP"},
		{"names only a CRL", []*x509.Certificate{crlOnly, p.ca, p.root}, "good: not in the CRL"},
	} {
		desc, err := both.RevocationStatus(tc.chain)
		if err != nil || !strings.HasPrefix(desc, tc.want) {
			t.Errorf("%s: %q, %v; want %q…", tc.name, desc, err, tc.want)
		}
	}
	if srv.ocspHits.Load() != 1 || srv.crlHits.Load() != 1 {
		t.Errorf("OCSP asked %d times, the CRL %d; want 1 and 1", srv.ocspHits.Load(), srv.crlHits.Load())
	}
}
