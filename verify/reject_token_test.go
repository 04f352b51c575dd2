package verify_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/verify"
)

// pad makes s at least 100 bytes so the length rule does not hide the
// rule under test.
func pad(s string) []byte {
	if len(s) >= verify.MinTokenLength {
		return []byte(s)
	}
	return []byte(s + strings.Repeat(" ", verify.MinTokenLength-len(s)))
}

func TestRejectMalformedJSON(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	good := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384"})
	tests := map[string][]byte{
		"truncated":       good[:len(good)-1],
		"not an object":   pad(`["unverifiedCertificate","algorithm","signature","format"]`),
		"trailing data":   append(append([]byte{}, good...), []byte(` {}`)...),
		"two objects":     append(append([]byte{}, good...), good...),
		"number field":    bytes.Replace(good, []byte(`"algorithm":"ES384"`), []byte(`"algorithm":384`), 1),
		"null field":      bytes.Replace(good, []byte(`"algorithm":"ES384"`), []byte(`"algorithm":null`), 1),
		"wrong case key":  bytes.Replace(good, []byte(`"algorithm"`), []byte(`"Algorithm"`), 1),
		"duplicate field": bytes.Replace(good, []byte(`"algorithm":"ES384"`), []byte(`"algorithm":"ES384","algorithm":"RS256"`), 1),
		"missing field":   bytes.Replace(good, []byte(`"signature"`), []byte(`"signatur"`), 1),
		"empty":           pad(""),
		"bare string":     pad(`"web-eid:1.0"`),
	}
	for name, tok := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := f.validator(t).Validate(tok, testNonce)
			if !errors.Is(err, verify.ErrTokenFormat) {
				t.Errorf("got %v, want ErrTokenFormat", err)
			}
		})
	}
}

func TestTokenUnknownFieldsIgnored(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	good := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384"})
	tok := bytes.Replace(good, []byte(`{`), []byte(`{"unverifiedSigningCertificates":[{"x":1}],`), 1)
	if _, err := f.validator(t).Validate(tok, testNonce); err != nil {
		t.Errorf("extra field: %v", err)
	}
}

func TestRejectTokenLength(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	good := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384"})
	// withFiller adds an unknown field of n bytes: `"x":"…",` is n+7.
	withFiller := func(n int) []byte {
		return bytes.Replace(good, []byte(`{`), []byte(`{"x":"`+strings.Repeat("a", n)+`",`), 1)
	}
	atMax, long := withFiller(verify.MaxTokenLength-len(good)-7), withFiller(verify.MaxTokenLength)
	if len(atMax) != verify.MaxTokenLength {
		t.Fatalf("test token of %d bytes", len(atMax))
	}
	if _, err := f.validator(t).Validate(atMax, testNonce); err != nil {
		t.Errorf("%d bytes: %v", len(atMax), err)
	}
	over := append(append([]byte{}, atMax[:len(atMax)-1]...), ' ', '}')
	for _, tok := range [][]byte{good[:99], []byte(strings.Repeat(" ", 99)), long, over} {
		if _, err := f.validator(t).Validate(tok, testNonce); !errors.Is(err, verify.ErrTokenFormat) || !strings.Contains(err.Error(), "bytes") {
			t.Errorf("%d bytes: %v, want ErrTokenFormat on the length", len(tok), err)
		}
	}
}

func TestRejectFormat(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	for _, format := range []string{"web-eid:2.0", "web-eid:10", "web-eid:1x", "WEB-EID:1.0", "web-eid:0.9", " web-eid:1.0"} {
		tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384", format: format})
		if _, err := f.validator(t).Validate(tok, testNonce); !errors.Is(err, verify.ErrTokenFormat) {
			t.Errorf("format %q: %v, want ErrTokenFormat", format, err)
		}
	}
	m := tokenFields(t, makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384"}))
	m["format"] = ""
	if _, err := f.validator(t).Validate(encodeFields(t, m), testNonce); !errors.Is(err, verify.ErrTokenFormat) {
		t.Errorf("empty format: %v", err)
	}
	if _, err := f.validator(t).ValidateToken(nil, testNonce); !errors.Is(err, verify.ErrTokenFormat) {
		t.Errorf("nil token: %v", err)
	}
}

func TestRejectAlgorithm(t *testing.T) {
	rsaCard, ecCard := loadFixture(t, "citizen-1.7"), loadFixture(t, "citizen-1.8")
	p := getGenPKI(t)
	p256 := genKey(t, "P-256")
	p256Cert := p.leaf(t, p256.Public(), nil)
	tests := []struct {
		name string
		v    *verify.Validator
		tok  []byte
		as   string
	}{
		{"ES384 claimed on RSA", rsaCard.validator(t), makeToken(t, rsaCard.card.AuthKey, rsaCard.auth.Raw, tokenSpec{alg: "RS256"}), "ES384"},
		{"RS256 claimed on P-384", ecCard.validator(t), makeToken(t, ecCard.card.AuthKey, ecCard.auth.Raw, tokenSpec{alg: "ES384"}), "RS256"},
		{"PS384 claimed on P-384", ecCard.validator(t), makeToken(t, ecCard.card.AuthKey, ecCard.auth.Raw, tokenSpec{alg: "ES384"}), "PS384"},
		{"ES256 claimed on P-384", ecCard.validator(t), makeToken(t, ecCard.card.AuthKey, ecCard.auth.Raw, tokenSpec{alg: "ES384"}), "ES256"},
		{"ES384 claimed on P-256", p.validator(t), makeToken(t, p256, p256Cert, tokenSpec{alg: "ES256"}), "ES384"},
		{"unknown HS256", rsaCard.validator(t), makeToken(t, rsaCard.card.AuthKey, rsaCard.auth.Raw, tokenSpec{alg: "RS256"}), "HS256"},
		{"none", rsaCard.validator(t), makeToken(t, rsaCard.card.AuthKey, rsaCard.auth.Raw, tokenSpec{alg: "RS256"}), "none"},
		{"lower case", rsaCard.validator(t), makeToken(t, rsaCard.card.AuthKey, rsaCard.auth.Raw, tokenSpec{alg: "RS256"}), "rs256"},
		{"EdDSA", rsaCard.validator(t), makeToken(t, rsaCard.card.AuthKey, rsaCard.auth.Raw, tokenSpec{alg: "RS256"}), "EdDSA"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tokenFields(t, tc.tok)
			m["algorithm"] = tc.as
			if _, err := tc.v.Validate(encodeFields(t, m), testNonce); !errors.Is(err, verify.ErrAlgorithm) {
				t.Errorf("got %v, want ErrAlgorithm", err)
			}
		})
	}
}

// TestRejectSignatureHashMismatch: a signature made with another hash of
// the same family does not pass under the claimed algorithm.
func TestRejectSignatureHashMismatch(t *testing.T) {
	f := loadFixture(t, "citizen-1.7")
	for _, c := range []struct{ made, claimed string }{{"RS256", "RS384"}, {"PS256", "RS256"}, {"RS256", "PS256"}} {
		m := tokenFields(t, makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: c.made}))
		m["algorithm"] = c.claimed
		if _, err := f.validator(t).Validate(encodeFields(t, m), testNonce); !errors.Is(err, verify.ErrSignature) {
			t.Errorf("%s signature claimed as %s: %v, want ErrSignature", c.made, c.claimed, err)
		}
	}
}
