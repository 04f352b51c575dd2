package eid_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

var sha256Hash = crypto.SHA256

func digestOf(h crypto.Hash, msg string) []byte {
	w := h.New()
	w.Write([]byte(msg))
	return w.Sum(nil)
}

// TestSignerSignaturesVerify signs with both keys of both applets and
// every hash, and checks each signature with the certificate's key.
func TestSignerSignaturesVerify(t *testing.T) {
	for _, name := range pinFixtures() {
		for _, role := range []eid.KeyRole{eid.KeyAuth, eid.KeySign} {
			pc := openPINCard(t, name)
			p := promptPINs("1234")
			s, err := pc.card.Signer(role, p.prompt)
			if err != nil {
				t.Fatalf("%s %v: Signer: %v", name, role, err)
			}
			for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
				digest := digestOf(h, fmt.Sprintf("message for %s %v %v", name, role, h))
				sig, err := s.Sign(nil, digest, h)
				if err != nil {
					t.Fatalf("%s %v %v: Sign: %v", name, role, h, err)
				}
				if err := verifyWith(s.Public(), h, digest, sig); err != nil {
					t.Errorf("%s %v %v: %v", name, role, h, err)
				}
			}
			p.checkWiped(t)
		}
	}
}

// verifyWith checks a PKCS#1 v1.5, PSS (salt as long as the hash) or DER
// ECDSA signature with the standard library.
func verifyWith(pub crypto.PublicKey, opts crypto.SignerOpts, digest, sig []byte) error {
	h := opts.HashFunc()
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if _, ok := opts.(*rsa.PSSOptions); ok {
			return rsa.VerifyPSS(k, h, digest, sig, &rsa.PSSOptions{SaltLength: h.Size()})
		}
		return rsa.VerifyPKCS1v15(k, h, digest, sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return errors.New("DER ECDSA signature does not verify")
		}
		return nil
	}
	return fmt.Errorf("unexpected key %T", pub)
}

// Card.Sign returns the card's own format: raw r‖s on 1.8.
func TestSignRawECDSA(t *testing.T) {
	pc := openPINCard(t, "citizen-1.8")
	s, err := pc.card.Signer(eid.KeySign, nil)
	if err != nil {
		t.Fatal(err)
	}
	pub := s.Public().(*ecdsa.PublicKey)
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		digest := digestOf(h, "raw")
		raw, err := pc.card.Sign(eid.KeySign, h, digest, promptPINs("1234").prompt)
		if err != nil {
			t.Fatalf("Sign %v: %v", h, err)
		}
		if len(raw) != 96 {
			t.Fatalf("Sign %v: %d bytes, want r‖s of 96", h, len(raw))
		}
		r, ss := new(big.Int).SetBytes(raw[:48]), new(big.Int).SetBytes(raw[48:])
		if !ecdsa.Verify(pub, digest, r, ss) {
			t.Errorf("Sign %v: r‖s does not verify", h)
		}
	}
}

func TestSignRawRSA(t *testing.T) {
	pc := openPINCard(t, "citizen-1.7")
	s, err := pc.card.Signer(eid.KeyAuth, nil)
	if err != nil {
		t.Fatal(err)
	}
	digest := digestOf(crypto.SHA1, "sha1")
	sig, err := pc.card.Sign(eid.KeyAuth, crypto.SHA1, digest, promptPINs("1234").prompt)
	if err != nil {
		t.Fatalf("Sign SHA-1: %v", err)
	}
	if err := rsa.VerifyPKCS1v15(s.Public().(*rsa.PublicKey), crypto.SHA1, digest, sig); err != nil {
		t.Errorf("SHA-1 PKCS#1 v1.5: %v", err)
	}
}

func TestSignPSS(t *testing.T) {
	pc := openPINCard(t, "citizen-1.7")
	s, err := pc.card.Signer(eid.KeyAuth, promptPINs("1234").prompt)
	if err != nil {
		t.Fatal(err)
	}
	pub := s.Public().(*rsa.PublicKey)
	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256} {
		for _, salt := range []int{rsa.PSSSaltLengthEqualsHash, h.Size()} {
			digest := digestOf(h, "pss")
			sig, err := s.Sign(nil, digest, &rsa.PSSOptions{SaltLength: salt, Hash: h})
			if err != nil {
				t.Fatalf("PSS %v salt %d: %v", h, salt, err)
			}
			if err := rsa.VerifyPSS(pub, h, digest, sig, &rsa.PSSOptions{SaltLength: h.Size()}); err != nil {
				t.Errorf("PSS %v salt %d: %v", h, salt, err)
			}
		}
	}
}

// Requests the card cannot serve fail before any APDU.
func TestSignRefusedLocally(t *testing.T) {
	d32, d48 := make([]byte, 32), make([]byte, 48)
	tests := []struct {
		fixture string
		role    eid.KeyRole
		digest  []byte
		opts    crypto.SignerOpts
		want    error
	}{
		{"citizen-1.7", eid.KeyAuth, d32, &rsa.PSSOptions{SaltLength: 10, Hash: crypto.SHA256}, eid.ErrPSSSaltLength},
		{"citizen-1.7", eid.KeyAuth, d32, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto, Hash: crypto.SHA256}, eid.ErrPSSSaltLength},
		{"citizen-1.7", eid.KeyAuth, d48, &rsa.PSSOptions{SaltLength: 48, Hash: crypto.SHA384}, eid.ErrUnsupportedHash},
		{"citizen-1.7", eid.KeySign, d32, crypto.MD5, eid.ErrUnsupportedHash},
		{"citizen-1.7", eid.KeySign, d32, crypto.Hash(0), eid.ErrUnsupportedHash},
		{"citizen-1.7", eid.KeySign, d32, crypto.SHA384, eid.ErrDigestLength},
		{"citizen-1.8", eid.KeyAuth, d32, &rsa.PSSOptions{SaltLength: 32, Hash: crypto.SHA256}, eid.ErrUnsupportedHash},
		{"citizen-1.8", eid.KeyAuth, make([]byte, 20), crypto.SHA1, eid.ErrUnsupportedHash},
		{"citizen-1.8", eid.KeyAuth, d48, crypto.SHA256, eid.ErrDigestLength},
		{"citizen-1.8", eid.KeySign, d32, crypto.SHA512, eid.ErrDigestLength},
		{"citizen-1.8", eid.KeyRole(0x81), d32, crypto.SHA256, eid.ErrKeyRole},
	}
	for i, tt := range tests {
		pc := openPINCard(t, tt.fixture)
		p := promptPINs("1234")
		s, err := pc.card.Signer(eid.KeyAuth, p.prompt)
		if err != nil {
			t.Fatal(err)
		}
		pc.log.reset()
		if h, ok := tt.opts.(crypto.Hash); ok {
			if _, err := pc.card.Sign(tt.role, h, tt.digest, p.prompt); !errors.Is(err, tt.want) {
				t.Errorf("case %d Card.Sign: %v, want %v", i, err, tt.want)
			}
		}
		if tt.role == eid.KeyAuth {
			if _, err := s.Sign(nil, tt.digest, tt.opts); !errors.Is(err, tt.want) {
				t.Errorf("case %d Signer.Sign: %v, want %v", i, err, tt.want)
			}
		}
		if n := len(pc.log.all()); n != 0 || len(p.reqs) != 0 {
			t.Errorf("case %d: %d APDUs sent and %d PIN prompts for a refused request", i, n, len(p.reqs))
		}
	}
}

func TestSignerWithoutCertificate(t *testing.T) {
	pc := openPINCard(t, "kids-1.7")
	for _, role := range []eid.KeyRole{eid.KeyAuth, eid.KeySign} {
		if _, err := pc.card.Signer(role, nil); !errors.Is(err, eid.ErrNoCertificate) {
			t.Errorf("kids card %v: %v, want ErrNoCertificate", role, err)
		}
	}
}

// The certificate's key is the key that signs: the virtual card's own.
func TestSignerPublicIsCardKey(t *testing.T) {
	for _, name := range pinFixtures() {
		pc := openPINCard(t, name)
		for role, key := range map[eid.KeyRole]crypto.Signer{eid.KeyAuth: pc.content.AuthKey, eid.KeySign: pc.content.SignKey} {
			s, err := pc.card.Signer(role, nil)
			if err != nil {
				t.Fatal(err)
			}
			type equaler interface{ Equal(crypto.PublicKey) bool }
			if !key.Public().(equaler).Equal(s.Public()) || s.Role() != role {
				t.Errorf("%s %v: Public() is not the card's key", name, role)
			}
			if s.Certificate() == nil || s.Certificate().PublicKey != s.Public() {
				t.Errorf("%s %v: Certificate() does not hold Public()", name, role)
			}
		}
	}
}
