package virtualcard

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func newTestPKI(t *testing.T, family string) *PKI {
	t.Helper()
	p, err := NewPKI(family, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func verifyChain(t *testing.T, leaf *x509.Certificate, p *PKI, ca *Issuer) {
	t.Helper()
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(p.Root.Cert)
	inter.AddCert(ca.Cert)
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: testNow,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		t.Errorf("%s does not chain to the root: %v", leaf.Subject, err)
	}
}

func TestPKIHierarchy(t *testing.T) {
	for _, family := range []string{FamilyEC, FamilyRSA} {
		p := newTestPKI(t, family)
		for _, iss := range []*Issuer{p.Root, p.CitizenCA, p.ForeignerCA, p.RRN} {
			if !strings.Contains(iss.Cert.Subject.CommonName, "eidbridge TEST") {
				t.Errorf("%s: name not marked TEST", iss.Cert.Subject)
			}
			if !publicEqual(iss.Cert.PublicKey, iss.Key.Public()) {
				t.Errorf("%s: key does not match certificate", iss.Cert.Subject)
			}
		}
		for _, ca := range []*Issuer{p.CitizenCA, p.ForeignerCA} {
			if !ca.Cert.IsCA || ca.Cert.MaxPathLen != 0 || !ca.Cert.MaxPathLenZero {
				t.Errorf("%s: want CA with path length 0", ca.Cert.Subject)
			}
			verifyChain(t, ca.Cert, p, p.Root)
		}
		verifyChain(t, p.RRN.Cert, p, p.Root)
		if p.RRN.Cert.IsCA || p.RRN.Cert.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment {
			t.Errorf("RRN certificate: CA=%v key usage %v", p.RRN.Cert.IsCA, p.RRN.Cert.KeyUsage)
		}
		wantAlg := map[string]x509.SignatureAlgorithm{FamilyEC: x509.ECDSAWithSHA384, FamilyRSA: x509.SHA256WithRSA}[family]
		if p.RRN.Cert.SignatureAlgorithm != wantAlg {
			t.Errorf("%s: signature algorithm %v, want %v", family, p.RRN.Cert.SignatureAlgorithm, wantAlg)
		}
		if !p.Root.Cert.NotBefore.Equal(testNow.Add(-24 * time.Hour)) {
			t.Errorf("root NotBefore %v, want a day before now", p.Root.Cert.NotBefore)
		}
	}
	if _, err := NewPKI("dsa", testNow); err == nil {
		t.Error("unknown family accepted")
	}
}

func TestIssueUser(t *testing.T) {
	p := newTestPKI(t, FamilyEC)
	key, err := NewKey(FamilyEC)
	if err != nil {
		t.Fatal(err)
	}
	h := Holder{Surname: "Ørsted-Müller", GivenNames: "Émilie Françoise", NationalNumber: "01090718806"}
	for _, tc := range []struct {
		kind      string
		foreigner bool
		usage     x509.KeyUsage
		policy    string
		ca        *Issuer
	}{
		{CertAuth, false, x509.KeyUsageDigitalSignature, "2.16.56.12.1.1.2.2", p.CitizenCA},
		{CertSign, false, x509.KeyUsageContentCommitment, "2.16.56.12.1.1.2.1", p.CitizenCA},
		{CertAuth, true, x509.KeyUsageDigitalSignature, "2.16.56.12.1.1.7.2", p.ForeignerCA},
	} {
		h.Foreigner = tc.foreigner
		c, err := p.IssueUser(tc.kind, h, key.Public(), testNow, testNow.AddDate(10, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		var rdns pkix.RDNSequence
		if _, err := asn1.Unmarshal(c.RawSubject, &rdns); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, rdn := range rdns {
			got = append(got, rdn[0].Type.String()+"="+rdn[0].Value.(string))
		}
		want := []string{"2.5.4.6=BE", "2.5.4.3=Émilie Ørsted-Müller (" + tc.kind + ")", "2.5.4.4=Ørsted-Müller",
			"2.5.4.42=Émilie Françoise", "2.5.4.5=01090718806"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s subject\n%v\nwant\n%v", tc.kind, got, want)
		}
		if c.KeyUsage != tc.usage || len(c.ExtKeyUsage) != 0 {
			t.Errorf("%s key usage %v, EKU %v; want %v and none", tc.kind, c.KeyUsage, c.ExtKeyUsage, tc.usage)
		}
		if len(c.Policies) != 1 || c.Policies[0].String() != tc.policy {
			t.Errorf("%s policies %v, want %s", tc.kind, c.Policies, tc.policy)
		}
		if !c.NotAfter.Equal(testNow.AddDate(10, 0, 0)) {
			t.Errorf("%s NotAfter %v", tc.kind, c.NotAfter)
		}
		verifyChain(t, c, p, tc.ca)
	}
}

func TestPKIStore(t *testing.T) {
	dir := t.TempDir()
	p, err := LoadOrCreatePKI(dir, FamilyEC, "", testNow)
	if err != nil {
		t.Fatal(err)
	}
	again, err := LoadOrCreatePKI(dir, FamilyEC, "", testNow)
	if err != nil {
		t.Fatal(err)
	}
	for i, iss := range again.issuers() {
		if !(*iss).Cert.Equal((*p.issuers()[i]).Cert) {
			t.Errorf("%s: reloaded certificate differs", pkiNames[i])
		}
	}
	info, err := os.Stat(filepath.Join(dir, FamilyEC, "root-key.pem"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("root key file mode %v (%v), want 0600", info.Mode().Perm(), err)
	}
	// A key that does not belong to its certificate is refused.
	swap := filepath.Join(dir, FamilyEC, "rrn-key.pem")
	other, _ := os.ReadFile(filepath.Join(dir, FamilyEC, "root-key.pem"))
	if err := os.WriteFile(swap, other, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPKI(dir, FamilyEC); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("mismatched key: err = %v", err)
	}
}
