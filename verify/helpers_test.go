package verify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/verify"
)

const testOrigin = "https://example.com"

// testNonce is a well-formed nonce (44 base64 characters).
var testNonce = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

// fixture is one virtual card profile with what a site would configure.
type fixture struct {
	card  *virtualcard.Content
	files *eid.Files
	auth  *x509.Certificate
	roots *x509.CertPool // the card's test root
	inter *x509.CertPool // the card's Citizen CA
	now   time.Time      // inside every certificate's validity
}

func loadFixture(t testing.TB, name string) *fixture {
	t.Helper()
	dir := filepath.Join("..", "eid", "virtualcard", "testdata", name)
	c, err := virtualcard.Load(dir)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	get := func(id eid.FileID) []byte { return c.Files[strings.ToUpper(hex.EncodeToString(id.Path))] }
	f := &fixture{card: c, files: &eid.Files{
		Identity: get(eid.FileIdentity), IdentitySig: get(eid.FileIdentitySig),
		Address: get(eid.FileAddress), AddressSig: get(eid.FileAddressSig), Photo: get(eid.FilePhoto),
		AuthCert: get(eid.FileAuthCert), CACert: get(eid.FileCACert), RootCert: get(eid.FileRootCert),
		RRNCert: get(eid.FileRRNCert),
	}}
	if f.auth, err = eid.ParseCertificateFile(f.files.AuthCert); err != nil {
		t.Fatalf("fixture %s auth certificate: %v", name, err)
	}
	ca, err := eid.ParseCertificateFile(f.files.CACert)
	if err != nil {
		t.Fatalf("fixture %s CA certificate: %v", name, err)
	}
	f.inter = x509.NewCertPool()
	f.inter.AddCert(ca)
	f.roots = poolFromPEM(t, filepath.Join(dir, "root-ca.pem"))
	f.now = f.auth.NotBefore.Add(48 * time.Hour)
	return f
}

func poolFromPEM(t testing.TB, path string) *x509.CertPool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("%s: no PEM block", path)
	}
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	p := x509.NewCertPool()
	p.AddCert(cert)
	return p
}

func (f *fixture) validator(t testing.TB, mod ...func(*verify.Config)) *verify.Validator {
	t.Helper()
	return newValidator(t, f.roots, f.inter, f.now, mod...)
}

// newValidator is a Validator for testOrigin trusting roots and inter at
// now, after the changes in mod.
func newValidator(t testing.TB, roots, inter *x509.CertPool, now time.Time, mod ...func(*verify.Config)) *verify.Validator {
	t.Helper()
	cfg := verify.Config{Origin: testOrigin, Roots: roots, Intermediates: inter, Now: func() time.Time { return now }}
	for _, m := range mod {
		m(&cfg)
	}
	v, err := verify.NewValidator(cfg)
	if err != nil {
		t.Fatalf("NewValidator: %v", err)
	}
	return v
}

// tokenSpec says how to build a token; zero fields take the defaults.
type tokenSpec struct {
	alg, origin, nonce, format string
	derECDSA                   bool // DER instead of the card's raw r‖s
}

var hashes = map[string]crypto.Hash{"256": crypto.SHA256, "384": crypto.SHA384, "512": crypto.SHA512}

// cardDigest is written out here, apart from the package, so that a wrong
// byte layout in the package cannot pass: H(H(origin) ‖ H(nonce)).
func cardDigest(h crypto.Hash, origin, nonce string) []byte {
	sum := func(b []byte) []byte { w := h.New(); w.Write(b); return w.Sum(nil) }
	return sum(append(sum([]byte(origin)), sum([]byte(nonce))...))
}

// makeToken signs like the card: PKCS#1 v1.5 or PSS (salt = hash length)
// over the digest for RSA, raw r‖s for ECDSA.
func makeToken(t testing.TB, key crypto.Signer, certDER []byte, s tokenSpec) []byte {
	t.Helper()
	if s.origin == "" {
		s.origin = testOrigin
	}
	if s.nonce == "" {
		s.nonce = testNonce
	}
	if s.format == "" {
		s.format = "web-eid:1.0"
	}
	h := hashes[s.alg[2:]]
	d := cardDigest(h, s.origin, s.nonce)
	var opts crypto.SignerOpts = h
	if strings.HasPrefix(s.alg, "PS") {
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}
	}
	sig, err := key.Sign(rand.Reader, d, opts)
	if err != nil {
		t.Fatalf("signing: %v", err)
	}
	if k, ok := key.Public().(*ecdsa.PublicKey); ok && !s.derECDSA {
		sig = derToRaw(t, sig, (k.Curve.Params().BitSize+7)/8)
	}
	tok, err := json.Marshal(verify.AuthToken{
		UnverifiedCertificate: base64.StdEncoding.EncodeToString(certDER),
		Algorithm:             s.alg, Signature: base64.StdEncoding.EncodeToString(sig),
		Format: s.format, AppVersion: "https://eidbridge.example/agent/0.1",
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func derToRaw(t testing.TB, der []byte, size int) []byte {
	t.Helper()
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &rs); err != nil {
		t.Fatal(err)
	}
	raw := make([]byte, 2*size)
	rs.R.FillBytes(raw[:size])
	rs.S.FillBytes(raw[size:])
	return raw
}

// tokenFields decodes a token for tests that alter it.
func tokenFields(t testing.TB, tok []byte) map[string]string {
	t.Helper()
	m := map[string]string{}
	if err := json.Unmarshal(tok, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func encodeFields(t testing.TB, m map[string]string) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
