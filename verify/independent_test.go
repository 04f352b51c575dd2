package verify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"testing"
)

// TestIndependentSignatureCheck re-verifies tokens the package accepted
// with crypto primitives only, the digest written out here byte by byte:
// SHA(SHA(origin) ‖ SHA(nonce)). It also shows the check discriminates:
// other layouts one might mistake it for do not verify.
func TestIndependentSignatureCheck(t *testing.T) {
	for _, tc := range []struct{ card, alg string }{{"citizen-1.7", "RS256"}, {"citizen-1.8", "ES384"}} {
		t.Run(tc.card, func(t *testing.T) {
			f := loadFixture(t, tc.card)
			tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: tc.alg})
			if _, err := f.validator(t).Validate(tok, testNonce); err != nil {
				t.Fatalf("package rejects the token: %v", err)
			}
			var fields struct{ UnverifiedCertificate, Signature, Algorithm string }
			if err := json.Unmarshal(tok, &fields); err != nil {
				t.Fatal(err)
			}
			der, _ := base64.StdEncoding.DecodeString(fields.UnverifiedCertificate)
			sig, _ := base64.StdEncoding.DecodeString(fields.Signature)
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				t.Fatal(err)
			}
			o, n := []byte(testOrigin), []byte(testNonce)
			var layouts map[string][]byte
			if tc.alg == "RS256" {
				ho, hn := sha256.Sum256(o), sha256.Sum256(n)
				right := sha256.Sum256(append(ho[:], hn[:]...))
				swapped := sha256.Sum256(append(hn[:], ho[:]...))
				plain := sha256.Sum256(append(append([]byte{}, o...), n...))
				layouts = map[string][]byte{"H(H(o)‖H(n))": right[:], "H(H(n)‖H(o))": swapped[:], "H(o‖n)": plain[:]}
			} else {
				ho, hn := sha512.Sum384(o), sha512.Sum384(n)
				right := sha512.Sum384(append(ho[:], hn[:]...))
				swapped := sha512.Sum384(append(hn[:], ho[:]...))
				inner := append(ho[:], hn[:]...) // unhashed concatenation
				layouts = map[string][]byte{"H(H(o)‖H(n))": right[:], "H(H(n)‖H(o))": swapped[:], "H(o)‖H(n)": inner}
			}
			for name, d := range layouts {
				ok := rawVerify(t, cert.PublicKey, d, sig)
				if want := name == "H(H(o)‖H(n))"; ok != want {
					t.Errorf("%s layout verifies: %v, want %v", name, ok, want)
				}
			}
		})
	}
}

// rawVerify: RSA PKCS#1 v1.5 with SHA-256, or ECDSA with r and s read
// straight from the two 48-byte halves.
func rawVerify(t *testing.T, pub crypto.PublicKey, d, sig []byte) bool {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return len(d) == sha256.Size && rsa.VerifyPKCS1v15(k, crypto.SHA256, d, sig) == nil
	case *ecdsa.PublicKey:
		if len(sig) != 96 {
			t.Fatalf("ECDSA signature of %d bytes, want 96 (raw r‖s on P-384)", len(sig))
		}
		r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
		return ecdsa.Verify(k, d, r, s)
	}
	t.Fatalf("key %T", pub)
	return false
}
