package browsertest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"math/big"
	"slices"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

// signDocument gets the signing certificate (a consent dialog in the
// page's <html lang>, fr), checks the algorithms offered against the
// certificate's key, signs a SHA-256 hash with options.lang and verifies
// the signature with the certificate.
func (s *webeidScenario) signDocument(lang string) {
	s.t.Helper()
	var c struct {
		Certificate                  string
		SupportedSignatureAlgorithms []agent.SignatureAlgorithm
	}
	wantSuccess(s.t, "web-eid:get-signing-certificate", s.call("get-signing-certificate", "certificate()"), &c,
		"certificate", "supportedSignatureAlgorithms")
	s.wantDialog(ui.PurposeGetSigningCertificate, "fr")
	cert := parseCertificate(s.t, c.Certificate)
	algs := algorithmsFor(cert)
	if !slices.Equal(c.SupportedSignatureAlgorithms, algs) {
		s.t.Errorf("supportedSignatureAlgorithms %+v, want %+v for the certificate's key", c.SupportedSignatureAlgorithms, algs)
	}
	sum := sha256.Sum256([]byte("Belastingaangifte 2026"))
	hash := base64.StdEncoding.EncodeToString(sum[:])
	var sig struct {
		Signature          string
		SignatureAlgorithm agent.SignatureAlgorithm
	}
	a := s.call("sign", fmt.Sprintf(`sign(%q, %q, "SHA-256", {lang: %q})`, c.Certificate, hash, lang))
	wantSuccess(s.t, "web-eid:sign", a, &sig, "signature", "signatureAlgorithm")
	if sig.SignatureAlgorithm != algs[0] {
		s.t.Errorf("signatureAlgorithm %+v, want %+v", sig.SignatureAlgorithm, algs[0])
	}
	verifySignature(s.t, cert, sum[:], sig.Signature)
	s.wantDialog(ui.PurposeSign, lang)
}

func parseCertificate(t *testing.T, b64 string) *x509.Certificate {
	t.Helper()
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// algorithmsFor is what a page may ask the card to sign with: the key's
// algorithm (RSA PKCS#1 v1.5 or ECDSA) with each hash the agent's sign
// takes (docs/protocol.md).
func algorithmsFor(cert *x509.Certificate) []agent.SignatureAlgorithm {
	crypt, pad := "RSA", "PKCS1.5"
	if _, ok := cert.PublicKey.(*ecdsa.PublicKey); ok {
		crypt, pad = "ECC", "NONE"
	}
	var out []agent.SignatureAlgorithm
	for _, h := range []string{"SHA-256", "SHA-384", "SHA-512"} {
		out = append(out, agent.SignatureAlgorithm{CryptoAlgorithm: crypt, HashFunction: h, PaddingScheme: pad})
	}
	return out
}

// verifySignature checks a SHA-256 signature: RSA PKCS#1 v1.5, or ECDSA
// as raw r‖s, as Web eID gives it.
func verifySignature(t *testing.T, cert *x509.Certificate, digest []byte, b64 string) {
	t.Helper()
	sig, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	ok := false
	switch pub := cert.PublicKey.(type) {
	case *ecdsa.PublicKey:
		half := len(sig) / 2
		r, s := new(big.Int).SetBytes(sig[:half]), new(big.Int).SetBytes(sig[half:])
		ok = len(sig) == 2*((pub.Curve.Params().BitSize+7)/8) && ecdsa.Verify(pub, digest, r, s)
	case *rsa.PublicKey:
		ok = rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest, sig) == nil
	}
	if !ok {
		t.Errorf("the signature (%d bytes) does not verify with the signing certificate", len(sig))
	}
}
