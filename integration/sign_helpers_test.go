package integration

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/eid"
)

// pin1234 is the fixtures' PIN, handed out as a fresh slice each time
// (the eid package wipes it).
func pin1234(eid.PINRequest) ([]byte, error) { return []byte("1234"), nil }

// signWithin signs digest and fails when it takes longer than d: a pulled
// card must give an error, never a hang.
func signWithin(s *eid.CardSigner, h crypto.Hash, digest []byte, d time.Duration) ([]byte, error) {
	type result struct {
		sig []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		sig, err := s.Sign(nil, digest, h)
		done <- result{sig, err}
	}()
	select {
	case r := <-done:
		return r.sig, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("signature still running after %v", d)
	}
}

// verifySig checks a CardSigner signature (DER for ECDSA) with the
// standard library against the certificate the signer read from the card.
func verifySig(s *eid.CardSigner, h crypto.Hash, digest, sig []byte) error {
	switch k := s.Certificate().PublicKey.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, h, digest, sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return errors.New("ECDSA signature does not verify with the card's certificate")
		}
		return nil
	}
	return fmt.Errorf("unexpected key %T", s.Certificate().PublicKey)
}

// hashOf hashes msg with h.
func hashOf(h crypto.Hash, msg string) []byte {
	w := h.New()
	w.Write([]byte(msg))
	return w.Sum(nil)
}

// signHash is the hash each applet's tests sign: what a Web eID token uses.
func signHash(card *eid.Card) crypto.Hash {
	if card.Data.AppletVersion >= eid.Applet18 {
		return crypto.SHA384
	}
	return crypto.SHA256
}
