package verify_test

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/verify"
)

func TestRejectCertificateDefects(t *testing.T) {
	p := getGenPKI(t)
	k := genKey(t, "P-256")
	tests := []struct {
		name string
		mod  func(*x509.Certificate)
		want error
		msg  string // in the error's text, when set
	}{
		{"no digitalSignature", func(c *x509.Certificate) {
			c.KeyUsage = x509.KeyUsageContentCommitment | x509.KeyUsageKeyAgreement
		}, verify.ErrCertificateKeyUsage, "(key usage: nonRepudiation, keyAgreement)"},
		{"no key usage", func(c *x509.Certificate) { c.KeyUsage = 0 }, verify.ErrCertificateKeyUsage, "(key usage: none)"},
		{"EKU without clientAuth", func(c *x509.Certificate) {
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageServerAuth}
			c.UnknownExtKeyUsage = []asn1.ObjectIdentifier{{1, 2, 3, 4}}
		}, verify.ErrCertificateEKU, "(extended key usage: emailProtection, serverAuth, 1.2.3.4)"},
		{"expired", func(c *x509.Certificate) { c.NotAfter = genNow.Add(-time.Second) }, verify.ErrCertificateExpired, ""},
		{"not yet valid", func(c *x509.Certificate) { c.NotBefore = genNow.Add(time.Hour) }, verify.ErrCertificateNotYetValid, ""},
		{"bad national number", func(c *x509.Certificate) { c.Subject.SerialNumber = "85031486537" }, verify.ErrCertificateSubject, ""},
		{"no national number", func(c *x509.Certificate) { c.Subject.SerialNumber = "" }, verify.ErrCertificateSubject, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cert := p.leaf(t, k.Public(), tc.mod)
			_, err := p.validator(t).Validate(makeToken(t, k, cert, tokenSpec{alg: "ES256"}), testNonce)
			if !errors.Is(err, tc.want) || !errors.Is(err, verify.ErrCertificate) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

// TestRejectByClock: the fixture certificate itself, with the clock moved.
func TestRejectByClock(t *testing.T) {
	f := loadFixture(t, "citizen-1.7")
	tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "RS256"})
	for _, c := range []struct {
		at   time.Time
		want error
	}{
		{f.auth.NotAfter.Add(time.Second), verify.ErrCertificateExpired},
		{f.auth.NotBefore.Add(-time.Second), verify.ErrCertificateNotYetValid},
	} {
		v := f.validator(t, func(cfg *verify.Config) { cfg.Now = func() time.Time { return c.at } })
		if _, err := v.Validate(tok, testNonce); !errors.Is(err, c.want) {
			t.Errorf("at %s: %v, want %v", c.at, err, c.want)
		}
	}
}

func TestRejectUntrustedChain(t *testing.T) {
	rsaCard, ecCard := loadFixture(t, "citizen-1.7"), loadFixture(t, "citizen-1.8")
	tok := makeToken(t, rsaCard.card.AuthKey, rsaCard.auth.Raw, tokenSpec{alg: "RS256"})
	tests := map[string]func(*verify.Config){
		// The 1.8 fixtures use another test root.
		"other root":            func(c *verify.Config) { c.Roots, c.Intermediates = ecCard.roots, ecCard.inter },
		"no intermediates":      func(c *verify.Config) { c.Intermediates = nil },
		"CA given as root only": func(c *verify.Config) { c.Roots, c.Intermediates = x509.NewCertPool(), nil },
		"generated PKI":         func(c *verify.Config) { p := getGenPKI(t); c.Roots, c.Intermediates = p.roots, p.inter },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := rsaCard.validator(t, mod).Validate(tok, testNonce)
			if !errors.Is(err, verify.ErrUntrustedChain) || !errors.Is(err, verify.ErrCertificate) {
				t.Errorf("got %v, want ErrUntrustedChain", err)
			}
		})
	}
}

// TestTrustIntermediateAsAnchor: a site may trust the issuing CA itself.
func TestTrustIntermediateAsAnchor(t *testing.T) {
	f := loadFixture(t, "citizen-1.7")
	tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "RS256"})
	v := f.validator(t, func(c *verify.Config) { c.Roots, c.Intermediates = f.inter, nil })
	if _, err := v.Validate(tok, testNonce); err != nil {
		t.Errorf("Citizen CA as trust anchor: %v", err)
	}
}

func TestRejectBadCertificateEncoding(t *testing.T) {
	f := loadFixture(t, "citizen-1.7")
	m := tokenFields(t, makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "RS256"}))
	for name, v := range map[string]string{
		"not base64":     "%%%" + m["unverifiedCertificate"],
		"url base64":     base64.URLEncoding.EncodeToString(append([]byte{0xFB, 0xFF}, f.auth.Raw...)),
		"not a cert":     base64.StdEncoding.EncodeToString(make([]byte, 200)),
		"truncated cert": base64.StdEncoding.EncodeToString(f.auth.Raw[:len(f.auth.Raw)-10]),
	} {
		m2 := map[string]string{}
		for k, x := range m {
			m2[k] = x
		}
		m2["unverifiedCertificate"] = v
		if _, err := f.validator(t).Validate(encodeFields(t, m2), testNonce); !errors.Is(err, verify.ErrCertificateParse) {
			t.Errorf("%s: %v, want ErrCertificateParse", name, err)
		}
	}
}

// TestRejectSigningCertificate: the card's non-repudiation certificate
// and key, though valid and trusted, cannot authenticate.
func TestRejectSigningCertificate(t *testing.T) {
	f := loadFixture(t, "citizen-1.7")
	signCert, err := eid.ParseCertificateFile(f.card.Files["3F00DF005039"])
	if err != nil {
		t.Fatal(err)
	}
	tok := makeToken(t, f.card.SignKey, signCert.Raw, tokenSpec{alg: "RS256"})
	_, err = f.validator(t).Validate(tok, testNonce)
	if !errors.Is(err, verify.ErrCertificateKeyUsage) {
		t.Fatalf("got %v, want ErrCertificateKeyUsage", err)
	}
	// The usages by name, not as a number.
	if msg := err.Error(); !strings.HasSuffix(msg, "(key usage: nonRepudiation)") {
		t.Errorf("error %q: want it to end with the key usage by name, (key usage: nonRepudiation)", msg)
	}
}
