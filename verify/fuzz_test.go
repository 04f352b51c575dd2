package verify_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/verify"
)

// FuzzValidate: no input panics the parser or the validator, every
// rejection carries one of the documented sentinels, and whatever is
// accepted is the fixture citizen (the only key that can sign).
func FuzzValidate(f *testing.F) {
	rsaCard, ecCard := loadFixture(f, "citizen-1.7"), loadFixture(f, "citizen-1.8")
	f.Add(makeToken(f, rsaCard.card.AuthKey, rsaCard.auth.Raw, tokenSpec{alg: "RS256"}))
	f.Add(makeToken(f, ecCard.card.AuthKey, ecCard.auth.Raw, tokenSpec{alg: "ES384"}))
	f.Add(makeToken(f, ecCard.card.AuthKey, ecCard.auth.Raw, tokenSpec{alg: "ES384", derECDSA: true}))
	f.Add(pad(`{"unverifiedCertificate":"","algorithm":"","signature":"","format":"web-eid:1.0"}`))
	f.Add(pad(`{"format":{"a":[1,2,{"b":null}]},"format":1}`))
	f.Add(pad(`{"algorithm":"ES384"`))
	v := ecCard.validator(f)
	sentinels := []error{verify.ErrTokenFormat, verify.ErrAlgorithm, verify.ErrCertificate, verify.ErrSignature, verify.ErrNonce}
	f.Fuzz(func(t *testing.T, tok []byte) {
		tk, perr := verify.ParseToken(tok)
		if perr == nil && tk == nil {
			t.Fatal("ParseToken: nil token without an error")
		}
		c, err := v.Validate(tok, testNonce)
		if err == nil {
			if perr != nil || c.NationalNumber.Digits != ecCard.auth.Subject.SerialNumber {
				t.Fatalf("accepted %q as %+v (parse error %v)", tok, c, perr)
			}
			return
		}
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return
			}
		}
		t.Fatalf("error %v wraps no documented sentinel", err)
	})
}

// FuzzParseToken: the parser never panics, and a token it accepts
// survives a round trip through encoding/json unchanged.
func FuzzParseToken(f *testing.F) {
	f.Add(pad(`{"unverifiedCertificate":"MIIB","algorithm":"ES384","signature":"AAAA","format":"web-eid:1.0","appVersion":"x"}`))
	f.Add(pad(`{"unverifiedCertificate":"\u004d","algorithm":"RS256","signature":"","format":"","x":[{}]}`))
	f.Add(pad(`{"algorithm":"ES384","algorithm":"RS256"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tk, err := verify.ParseToken(b)
		if err != nil {
			if !errors.Is(err, verify.ErrTokenFormat) {
				t.Fatalf("error %v is not ErrTokenFormat", err)
			}
			return
		}
		again, err := json.Marshal(tk)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) < verify.MinTokenLength || len(again) > verify.MaxTokenLength {
			return
		}
		tk2, err := verify.ParseToken(again)
		if err != nil || *tk2 != *tk {
			t.Fatalf("round trip: %+v became %+v (%v)", tk, tk2, err)
		}
	})
}
