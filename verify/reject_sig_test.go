package verify_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/verify"
)

func TestRejectTamperedSignature(t *testing.T) {
	for _, tc := range []struct{ card, alg string }{{"citizen-1.7", "RS256"}, {"citizen-1.8", "ES384"}, {"citizen-1.7", "PS256"}} {
		f := loadFixture(t, tc.card)
		m := tokenFields(t, makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: tc.alg}))
		sig, _ := base64.StdEncoding.DecodeString(m["signature"])
		for _, i := range []int{0, len(sig) / 2, len(sig) - 1} {
			bad := append([]byte{}, sig...)
			bad[i] ^= 0x01
			m["signature"] = base64.StdEncoding.EncodeToString(bad)
			if _, err := f.validator(t).Validate(encodeFields(t, m), testNonce); !errors.Is(err, verify.ErrSignature) {
				t.Errorf("%s %s, byte %d flipped: %v, want ErrSignature", tc.card, tc.alg, i, err)
			}
		}
		for name, s := range map[string]string{"truncated": base64.StdEncoding.EncodeToString(sig[:len(sig)-1]),
			"zeros": base64.StdEncoding.EncodeToString(make([]byte, len(sig)))} {
			m["signature"] = s
			if _, err := f.validator(t).Validate(encodeFields(t, m), testNonce); !errors.Is(err, verify.ErrSignature) {
				t.Errorf("%s %s, %s signature: %v, want ErrSignature", tc.card, tc.alg, name, err)
			}
		}
		m["signature"] = "not*base64"
		if _, err := f.validator(t).Validate(encodeFields(t, m), testNonce); !errors.Is(err, verify.ErrTokenFormat) {
			t.Errorf("%s: signature not base64: %v, want ErrTokenFormat", tc.card, err)
		}
	}
}

// TestRejectOtherCardsCertificate: a valid signature with another
// (trusted) card's certificate swapped in.
func TestRejectOtherCardsCertificate(t *testing.T) {
	a, b := loadFixture(t, "citizen-1.8"), loadFixture(t, "utf8-1.8")
	tok := makeToken(t, a.card.AuthKey, b.auth.Raw, tokenSpec{alg: "ES384"})
	if _, err := a.validator(t).Validate(tok, testNonce); !errors.Is(err, verify.ErrSignature) {
		t.Errorf("got %v, want ErrSignature", err)
	}
}

// TestRejectDERECDSA: the card's format is raw r‖s; DER is refused as
// Web eID refuses it, even though it encodes a valid signature.
func TestRejectDERECDSA(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384", derECDSA: true})
	if _, err := f.validator(t).Validate(tok, testNonce); !errors.Is(err, verify.ErrSignature) {
		t.Errorf("got %v, want ErrSignature", err)
	}
	p := getGenPKI(t)
	k := genKey(t, "P-256")
	tok = makeToken(t, k, p.leaf(t, k.Public(), nil), tokenSpec{alg: "ES256", derECDSA: true})
	if _, err := p.validator(t).Validate(tok, testNonce); !errors.Is(err, verify.ErrSignature) {
		t.Errorf("ES256 DER: %v, want ErrSignature", err)
	}
}

// TestRejectWrongOrigin: tokens signed for origins that differ from the
// configured one in any part a browser keeps.
func TestRejectWrongOrigin(t *testing.T) {
	for _, card := range []struct{ name, alg string }{{"citizen-1.7", "RS256"}, {"citizen-1.8", "ES384"}} {
		f := loadFixture(t, card.name)
		v := f.validator(t)
		for _, origin := range []string{
			"https://example.com/", "https://example.com:8443", "http://example.com",
			"https://evil.example.com", "https://example.com:443", "https://EXAMPLE.com", "https://example.co",
		} {
			tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: card.alg, origin: origin})
			if _, err := v.Validate(tok, testNonce); !errors.Is(err, verify.ErrSignature) {
				t.Errorf("%s signed for %q, site %q: %v, want ErrSignature", card.name, origin, v.Origin(), err)
			}
		}
	}
}

// TestOriginConfiguredWithDefaultPort: the configured origin is
// normalised, so https://example.com:443/ still matches location.origin.
func TestOriginConfiguredWithDefaultPort(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	v := f.validator(t, func(c *verify.Config) { c.Origin = "HTTPS://Example.COM:443/" })
	tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384"})
	if _, err := v.Validate(tok, testNonce); err != nil || v.Origin() != testOrigin {
		t.Errorf("origin %q: %v", v.Origin(), err)
	}
}

func TestRejectWrongNonce(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384"})
	other := base64.StdEncoding.EncodeToString([]byte("fedcba9876543210fedcba9876543210"))
	if _, err := f.validator(t).Validate(tok, other); !errors.Is(err, verify.ErrSignature) {
		t.Errorf("other nonce: %v, want ErrSignature", err)
	}
	for _, bad := range []string{"", "short", testNonce + "\n", testNonce[:43] + "!"} {
		if _, err := f.validator(t).Validate(tok, bad); !errors.Is(err, verify.ErrNonceMalformed) {
			t.Errorf("nonce %q: %v, want ErrNonceMalformed", bad, err)
		}
	}
}
