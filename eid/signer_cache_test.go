package eid_test

import (
	"crypto"
	"errors"
	"slices"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// A cold Signer reads the certificate and leaves DF00 current; a warm one
// (same chip serial, new connection) sends nothing, and its signature
// costs the status query plus the minimum.
func TestCertCacheColdAndWarm(t *testing.T) {
	for _, name := range pinFixtures() {
		eid.UseFakeClock(t)
		var cache eid.CertCache
		cold := openPINCard(t, name)
		s, err := cache.Signer(cold.card, eid.KeyAuth, promptPINs("1234").prompt)
		if err != nil {
			t.Fatal(err)
		}
		if n := cold.log.count("select"); n != 1 || cold.log.count("read") == 0 {
			t.Errorf("%s cold: %v, want one SELECT and the reads of the certificate", name, cold.log.steps())
		}
		signAndCheck(t, cold, s, []string{"status", "mse", "verify", "pso", "getresp"})

		warm := openPINCard(t, name)
		s2, err := cache.Signer(warm.card, eid.KeyAuth, promptPINs("1234").prompt)
		if err != nil {
			t.Fatal(err)
		}
		if got := warm.log.all(); len(got) != 0 {
			t.Errorf("%s warm: Signer sent %d APDUs, want none", name, len(got))
		}
		if !s2.Certificate().Equal(s.Certificate()) {
			t.Errorf("%s warm: another certificate", name)
		}
		signAndCheck(t, warm, s2, []string{"status", "mse", "verify", "pso", "getresp"})
	}
}

// signAndCheck signs once with s and checks the steps and the signature.
func signAndCheck(t *testing.T, pc *pinCard, s *eid.CardSigner, want []string) {
	t.Helper()
	pc.log.reset()
	digest := digestOf(crypto.SHA256, "cache")
	sig, err := s.Sign(nil, digest, crypto.SHA256)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	pc.checkSig(t, s.Role(), crypto.SHA256, digest, sig, false)
	if got := pc.log.steps(); !slices.Equal(got, want) {
		t.Errorf("signature sent %v, want %v", got, want)
	}
}

// The cache is per card and per key: another serial or the other key
// reads its own certificate.
func TestCertCacheKeys(t *testing.T) {
	var cache eid.CertCache
	a := openPINCard(t, "citizen-1.7")
	if _, err := cache.Signer(a.card, eid.KeyAuth, nil); err != nil {
		t.Fatal(err)
	}
	a.log.reset()
	sign, err := cache.Signer(a.card, eid.KeySign, nil)
	if err != nil || a.log.count("read") == 0 {
		t.Fatalf("the signature key's certificate came without a read: %v", err)
	}
	if sign.Certificate().Equal(a.certs[eid.KeyAuth]) || !sign.Certificate().Equal(a.certs[eid.KeySign]) {
		t.Error("the signature key got the wrong certificate")
	}
	b := openPINCard(t, "yearonly-1.7")
	if _, err := cache.Signer(b.card, eid.KeyAuth, nil); err != nil || b.log.count("read") == 0 {
		t.Errorf("another card's certificate came without a read: %v", err)
	}
	cache.Forget(a.card.Data.Serial)
	a.log.reset()
	if _, err := cache.Signer(a.card, eid.KeyAuth, nil); err != nil || a.log.count("read") == 0 {
		t.Errorf("after Forget the certificate came without a read: %v", err)
	}
}

// A card claiming the serial of another one gets the other's certificate
// from the cache, but its signature does not verify with it: Sign
// refuses it and drops the entry, and the next Signer reads again.
func TestCertCacheWrongCardIsCaught(t *testing.T) {
	var cache eid.CertCache
	a := openPINCard(t, "citizen-1.7")
	if _, err := cache.Signer(a.card, eid.KeyAuth, nil); err != nil {
		t.Fatal(err)
	}
	impostor := openPINCardVia(t, "yearonly-1.7", func(c *virtualcard.Content) { c.ChipSerial = a.content.ChipSerial }, nil)
	s, err := cache.Signer(impostor.card, eid.KeyAuth, promptPINs("1234").prompt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sign(nil, digestOf(crypto.SHA256, "x"), crypto.SHA256); !errors.Is(err, eid.ErrSignatureKey) {
		t.Fatalf("signature with another card's certificate: %v, want ErrSignatureKey", err)
	}
	impostor.log.reset()
	s, err = cache.Signer(impostor.card, eid.KeyAuth, promptPINs("1234").prompt)
	if err != nil || impostor.log.count("read") == 0 {
		t.Fatalf("after the mismatch the certificate was not read again: %v", err)
	}
	signAndCheck(t, impostor, s, []string{"mse", "pso", "getresp"})
}

// A card without the certificate is not cached as anything.
func TestCertCacheNoCertificate(t *testing.T) {
	var cache eid.CertCache
	pc := openPINCard(t, "kids-1.7")
	for range 2 {
		if _, err := cache.Signer(pc.card, eid.KeySign, nil); !errors.Is(err, eid.ErrNoCertificate) {
			t.Errorf("kids card: %v, want ErrNoCertificate", err)
		}
	}
	var none *eid.CertCache
	if _, err := none.Signer(pc.card, eid.KeySign, nil); !errors.Is(err, eid.ErrNoCertificate) {
		t.Errorf("nil cache: %v, want ErrNoCertificate", err)
	}
}
