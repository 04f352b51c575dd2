package verify_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/verify"
)

// Tokens that the official Web eID application made with real Belgian
// test cards (../shared/fixtures/webeid-real/README.md): the proof that
// this validator agrees with Web eID about real cards, not only about
// tokens the project signs itself.
var (
	realDir    = filepath.Join("..", "..", "shared", "fixtures", "webeid-real")
	realTrust  = filepath.Join("..", "..", "shared", "trust")
	realOrigin = "https://47f0-46-131-86-189.ngrok-free.app"
	realTokens = []struct{ file, alg, nonce string }{
		{"be_ecc_token.json", "ES384", "iMeEwP2cgUINY2XoO/lqEpOUn7z/ysHRqGXkGKC4VXE="},
		{"be_rsa_token.json", "RS256", "YPVgYc7Qds0qmK/RilPLffnsIg7IIovM4BAWqGZWwiY="},
	}
	// realNow is inside both certificates' validity (2020-10-22 to
	// 2030-10-22, 2023-09-26 to 2033-09-26), so the test keeps passing
	// after they expire.
	realNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
)

// readReal reads a file of the shared fixtures, skipping the test when
// they are absent (a checkout without them).
func readReal(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if _, derr := os.Stat(filepath.Dir(path)); errors.Is(derr, os.ErrNotExist) {
			t.Skipf("%s is absent: the real Web eID tokens are not available here", filepath.Dir(path))
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func realCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	blk, _ := pem.Decode(readReal(t, path))
	if blk == nil {
		t.Fatalf("%s: no PEM block", path)
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// realTrustPools are what a site accepting both production and test
// cards configures: the pinned production roots with their Citizen and
// Foreigner CAs, plus the test Citizen CA. Its own root ("eID TEST EC
// Root CA") is not published with the tokens, so the CA is the anchor,
// as Web eID's validators take it (they require the direct issuer among
// the configured CAs).
func realTrustPools(t *testing.T, withTestCA bool) (roots, inter *x509.CertPool) {
	t.Helper()
	var prod []*x509.Certificate
	for _, f := range []string{"belgiumrca3.pem", "belgiumrca4.pem", "belgiumrca4b.pem", "belgiumrca6.pem"} {
		prod = append(prod, realCert(t, filepath.Join(realTrust, f)))
	}
	roots, err := eid.PinnedRootPool(prod...)
	if err != nil {
		t.Fatal(err)
	}
	if withTestCA {
		roots.AddCert(realCert(t, filepath.Join(realDir, "be_citizen_ca.pem")))
	}
	inter = x509.NewCertPool()
	for _, f := range []string{"CitizenCA202002.pem", "ForeignerCA202001.pem"} {
		inter.AddCert(realCert(t, filepath.Join(realTrust, f)))
	}
	return roots, inter
}

func realValidator(t *testing.T, origin string, withTestCA bool, now time.Time) *verify.Validator {
	t.Helper()
	roots, inter := realTrustPools(t, withTestCA)
	v, err := verify.NewValidator(verify.Config{Origin: origin, Roots: roots, Intermediates: inter,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRealWebEIDTokensAccepted(t *testing.T) {
	v := realValidator(t, realOrigin, true, realNow)
	for _, tc := range realTokens {
		t.Run(tc.file, func(t *testing.T) {
			c, err := v.Validate(readReal(t, filepath.Join(realDir, tc.file)), tc.nonce)
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if c.NationalNumber.Digits != "01050399864" || c.Surname != "Specimen" || c.GivenNames != "Nora Angèle" ||
				c.CommonName != "Nora Specimen (Authentication)" || c.Algorithm != tc.alg {
				t.Errorf("citizen %q %q %q %q %s", c.NationalNumber.Digits, c.Surname, c.GivenNames, c.CommonName, c.Algorithm)
			}
			if len(c.Chain) != 2 || c.Chain[1].Subject.CommonName != "eID TEST EC Citizen CA" {
				t.Errorf("chain of %d, want the certificate and the test Citizen CA", len(c.Chain))
			}
		})
	}
}

// TestRealWebEIDTokensRefused: a real token serves its own origin and
// nonce only.
func TestRealWebEIDTokensRefused(t *testing.T) {
	others := []string{
		"https://47f0-46-131-86-189.ngrok-free.app:8443",
		"https://46-131-86-189.ngrok-free.app",
		"https://example.com",
		"http://localhost:8080",
	}
	for i, tc := range realTokens {
		tok := readReal(t, filepath.Join(realDir, tc.file))
		for _, origin := range others {
			t.Run(tc.file+"/origin "+origin, func(t *testing.T) {
				_, err := realValidator(t, origin, true, realNow).Validate(tok, tc.nonce)
				wantErr(t, err, verify.ErrSignature)
			})
		}
		otherNonces := map[string]string{
			"the other token's":     realTokens[1-i].nonce,
			"one character changed": "j" + tc.nonce[1:],
			"a fresh one":           testNonce,
		}
		for name, nonce := range otherNonces {
			t.Run(tc.file+"/nonce "+name, func(t *testing.T) {
				_, err := realValidator(t, realOrigin, true, realNow).Validate(tok, nonce)
				wantErr(t, err, verify.ErrSignature)
			})
		}
		t.Run(tc.file+"/malformed nonce", func(t *testing.T) {
			_, err := realValidator(t, realOrigin, true, realNow).Validate(tok, tc.nonce[:40])
			wantErr(t, err, verify.ErrNonceMalformed)
		})
		t.Run(tc.file+"/production roots only", func(t *testing.T) {
			_, err := realValidator(t, realOrigin, false, realNow).Validate(tok, tc.nonce)
			wantErr(t, err, verify.ErrUntrustedChain)
		})
		t.Run(tc.file+"/after the certificate expired", func(t *testing.T) {
			_, err := realValidator(t, realOrigin, true, time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC)).Validate(tok, tc.nonce)
			wantErr(t, err, verify.ErrCertificateExpired)
		})
	}
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("got %v, want %v", err, want)
	}
}
