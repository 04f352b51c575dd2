package agent_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

var testHashes = []struct {
	name string
	hash crypto.Hash
	sum  func([]byte) []byte
}{
	{"SHA-256", crypto.SHA256, func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
	{"SHA-384", crypto.SHA384, func(b []byte) []byte { s := sha512.Sum384(b); return s[:] }},
	{"SHA-512", crypto.SHA512, func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }},
}

func TestGetSigningCertificateAndSign(t *testing.T) {
	for _, tc := range []struct{ fixture, crypt, pad string }{
		{"citizen-1.7", "RSA", "PKCS1.5"},
		{"citizen-1.8", "ECC", "NONE"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			u := newScriptUI(allow(), pin("1234"), pin("1234"), pin("1234"))
			e := start(t, tc.fixture, u)
			c := e.dial(testOrigin)
			var sc agent.SigningCertificateResult
			c.ok("getSigningCertificate", nil, &sc)
			want := fixtureCert(t, tc.fixture, fileSignCert)
			if sc.Certificate != base64.StdEncoding.EncodeToString(want) {
				t.Fatal("certificate is not the card's signing certificate")
			}
			if len(sc.SupportedSignatureAlgorithms) != 3 || sc.SupportedSignatureAlgorithms[0].CryptoAlgorithm != tc.crypt ||
				sc.SupportedSignatureAlgorithms[0].PaddingScheme != tc.pad {
				t.Errorf("algorithms %+v", sc.SupportedSignatureAlgorithms)
			}
			cert, _ := x509.ParseCertificate(want)
			for _, h := range testHashes {
				digest := h.sum([]byte("document " + h.name))
				var res agent.SignResult
				c.ok("sign", map[string]any{"hash": base64.StdEncoding.EncodeToString(digest),
					"hashFunction": h.name, "certificate": sc.Certificate}, &res)
				if res.SignatureAlgorithm != (agent.SignatureAlgorithm{CryptoAlgorithm: tc.crypt, HashFunction: h.name, PaddingScheme: tc.pad}) {
					t.Errorf("%s: algorithm %+v", h.name, res.SignatureAlgorithm)
				}
				checkSignature(t, cert, h.hash, digest, res.Signature)
			}
			qs := u.questions()
			if len(qs) != 4 || qs[0].Purpose != ui.PurposeGetSigningCertificate || qs[0].Kind != ui.KindConsent ||
				qs[1].Purpose != ui.PurposeSign || qs[1].Kind != ui.KindPIN || qs[3].Kind != ui.KindPIN {
				t.Errorf("questions %+v: want consent, then a PIN for every signature", qs)
			}
		})
	}
}

// checkSignature verifies with the standard library: PKCS#1 v1.5 for
// RSA, raw r‖s for ECDSA.
func checkSignature(t *testing.T, cert *x509.Certificate, h crypto.Hash, digest []byte, b64 string) {
	t.Helper()
	sig, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if err := rsa.VerifyPKCS1v15(pub, h, digest, sig); err != nil {
			t.Errorf("%v: %v", h, err)
		}
	case *ecdsa.PublicKey:
		n := len(sig) / 2
		if len(sig) != 96 || !ecdsa.Verify(pub, digest, new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])) {
			t.Errorf("%v: ECDSA r‖s signature (%d bytes) does not verify", h, len(sig))
		}
	}
}

// A certificate that is not the card's is no oracle: the page learns
// CERTIFICATE_MISMATCH only once the citizen has seen a dialog naming
// the site and allowed it; refused, it learns what any refusal gives.
// No PIN is asked for a signature that cannot happen.
func TestSignCertificateMismatch(t *testing.T) {
	clk := &atomicTime{}
	e := start(t, "citizen-1.8", newScriptUI(cancel(), allow()), withClock(clk))
	c := e.dial(testOrigin)
	digest := sha512.Sum384([]byte("x"))
	other := fixtureCert(t, "citizen-1.8", fileAuthCert)
	params := map[string]any{"hash": base64.StdEncoding.EncodeToString(digest[:]), "hashFunction": "SHA-384",
		"certificate": base64.StdEncoding.EncodeToString(other)}
	c.fails("sign", params, agent.CodeUserCancelled)
	clk.add(time.Minute) // past the back-off after a refusal
	c.fails("sign", params, agent.CodeCertificateMismatch)
	qs := e.ui.questions()
	if len(qs) != 2 || qs[0].Kind != ui.KindConsent || qs[0].Purpose != ui.PurposeSign || qs[0].Origin != testOrigin ||
		qs[0].Holder != "" || qs[1].Kind != ui.KindConsent {
		t.Errorf("questions %+v, want a consent naming the site, the signature and no holder, before each answer", qs)
	}
}

func TestSignBadParams(t *testing.T) {
	e := start(t, "citizen-1.7", newScriptUI())
	c := e.dial(testOrigin)
	cert := base64.StdEncoding.EncodeToString(fixtureCert(t, "citizen-1.7", fileSignCert))
	h32 := base64.StdEncoding.EncodeToString(make([]byte, 32))
	for name, p := range map[string]map[string]any{
		"length":      {"hash": h32, "hashFunction": "SHA-384", "certificate": cert},
		"SHA-224":     {"hash": base64.StdEncoding.EncodeToString(make([]byte, 28)), "hashFunction": "SHA-224", "certificate": cert},
		"unknown":     {"hash": h32, "hashFunction": "MD5", "certificate": cert},
		"base64":      {"hash": "%%%", "hashFunction": "SHA-256", "certificate": cert},
		"urlsafe":     {"hash": base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xFB}, 32)), "hashFunction": "SHA-256", "certificate": cert},
		"no cert":     {"hash": h32, "hashFunction": "SHA-256"},
		"extra field": {"hash": h32, "hashFunction": "SHA-256", "certificate": cert, "key": "auth"},
	} {
		r := c.call("sign", p)
		if r.Error == nil || r.Error.Code != agent.CodeInvalidRequest {
			t.Errorf("%s: got %+v %s, want INVALID_REQUEST", name, r.Error, r.Result)
		}
	}
}

func TestGetSigningCertificateKidsCard(t *testing.T) {
	e := start(t, "kids-1.7", newScriptUI(allow()))
	c := e.dial(testOrigin)
	c.fails("getSigningCertificate", nil, agent.CodeUnsupportedCard)
}

// The PIN dialog of a signature says what is signed, as the page puts it,
// and a fingerprint of the hash the citizen can compare with the page's;
// a description too long is refused before any dialog.
func TestSignShowsWhatIsSigned(t *testing.T) {
	u := newScriptUI(pin("1234"))
	e := start(t, "citizen-1.8", u)
	c := e.dial(testOrigin)
	cert := base64.StdEncoding.EncodeToString(fixtureCert(t, "citizen-1.8", fileSignCert))
	digest := sha512.Sum384([]byte("tax return"))
	params := map[string]any{"hash": base64.StdEncoding.EncodeToString(digest[:]), "hashFunction": "SHA-384",
		"certificate": cert, "description": "Tax return 2026"}
	var res agent.SignResult
	c.ok("sign", params, &res)
	qs := u.questions()
	if len(qs) != 1 || qs[0].Document != "Tax return 2026" || qs[0].Fingerprint != ui.Fingerprint(digest[:]) ||
		!strings.Contains(ui.Text(qs[0]), "Tax return 2026") || !strings.Contains(ui.Text(qs[0]), qs[0].Fingerprint) {
		t.Errorf("questions %+v: the dialog does not show what is signed", qs)
	}
	params["description"] = strings.Repeat("x", agent.MaxDescription+1)
	c.fails("sign", params, agent.CodeInvalidRequest)
	if len(u.questions()) != 1 {
		t.Error("a dialog was shown for a refused description")
	}
}
