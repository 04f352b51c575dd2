package agent_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/verify"
)

// fixtureCert returns a certificate file of a fixture card as DER.
func fixtureCert(t *testing.T, fixture, path string) []byte {
	t.Helper()
	content, err := virtualcard.Load("../eid/virtualcard/testdata/" + fixture)
	if err != nil {
		t.Fatal(err)
	}
	der, err := virtualcard.CertDER(content.Files[path])
	if err != nil || der == nil {
		t.Fatalf("%s %s: no certificate (%v)", fixture, path, err)
	}
	return der
}

const (
	fileAuthCert = "3F00DF005038"
	fileSignCert = "3F00DF005039"
	fileCACert   = "3F00DF00503A"
)

// checkTokenStdlib verifies a token with the standard library only: the
// signature over H(H(origin) ‖ H(nonce)), RSA PKCS#1 v1.5 with SHA-256
// or ECDSA P-384 as raw r‖s with SHA-384, by the certificate it carries.
func checkTokenStdlib(t *testing.T, tok agent.AuthToken, origin, nonce string, wantCert []byte) {
	t.Helper()
	if tok.Format != "web-eid:1.0" || tok.AppVersion != "https://github.com/eidbridge/eidbridge/releases/tag/1.2.3" {
		t.Errorf("format %q appVersion %q", tok.Format, tok.AppVersion)
	}
	der, err := base64.StdEncoding.DecodeString(tok.UnverifiedCertificate)
	if err != nil || string(der) != string(wantCert) {
		t.Fatalf("unverifiedCertificate is not the card's authentication certificate (%v)", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := base64.StdEncoding.DecodeString(tok.Signature)
	if err != nil {
		t.Fatal(err)
	}
	switch tok.Algorithm {
	case "RS256":
		o, n := sha256.Sum256([]byte(origin)), sha256.Sum256([]byte(nonce))
		d := sha256.Sum256(append(o[:], n[:]...))
		if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), crypto.SHA256, d[:], sig); err != nil {
			t.Fatalf("RS256 signature: %v", err)
		}
	case "ES384":
		o, n := sha512.Sum384([]byte(origin)), sha512.Sum384([]byte(nonce))
		d := sha512.Sum384(append(o[:], n[:]...))
		if len(sig) != 96 {
			t.Fatalf("ES384 signature is %d bytes, want raw r‖s of 96", len(sig))
		}
		r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
		if !ecdsa.Verify(cert.PublicKey.(*ecdsa.PublicKey), d[:], r, s) {
			t.Fatal("ES384 signature does not verify")
		}
	default:
		t.Fatalf("algorithm %q", tok.Algorithm)
	}
}

// fixturePool reads the test PKI root of a fixture, or its card's CA.
func fixtureRoots(t *testing.T, fixture string) *x509.CertPool {
	t.Helper()
	b, err := os.ReadFile("../eid/virtualcard/testdata/" + fixture + "/root-ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	root, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(root)
	return pool
}

// checkTokenVerify validates a token with the verify package, as a
// website would, and returns the citizen it names.
func checkTokenVerify(t *testing.T, tok agent.AuthToken, fixture, origin, nonce string) *verify.Citizen {
	t.Helper()
	ca, err := x509.ParseCertificate(fixtureCert(t, fixture, fileCACert))
	if err != nil {
		t.Fatal(err)
	}
	inter := x509.NewCertPool()
	inter.AddCert(ca)
	v, err := verify.NewValidator(verify.Config{Origin: origin, Roots: fixtureRoots(t, fixture), Intermediates: inter})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Validate(raw, nonce)
	if err != nil {
		t.Fatalf("verify rejects the token: %v", err)
	}
	return c
}
