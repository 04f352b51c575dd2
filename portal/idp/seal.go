package idp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// secrets are what the provider derives from the portal's code key,
// which every instance already shares: nothing new to distribute.
type secrets struct {
	aead    cipher.AEAD // seals requests, tokens and private keys at rest
	subject []byte      // keys the pairwise subject identifiers
	token   [32]byte    // the library's access-token encryption key
}

func deriveSecrets(master []byte) (*secrets, error) {
	if len(master) < 32 {
		return nil, errors.New("idp: the master secret is shorter than 32 bytes")
	}
	block, err := aes.NewCipher(derive(master, "eidbridge portal oidc state"))
	if err != nil {
		return nil, fmt.Errorf("idp: state key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("idp: state key: %w", err)
	}
	s := &secrets{aead: aead, subject: derive(master, "eidbridge portal oidc subject")}
	copy(s.token[:], derive(master, "eidbridge portal oidc access token"))
	return s, nil
}

func derive(master []byte, label string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// seal encrypts data bound to where it is stored (ad: table and row), so
// a sealed value cannot be moved to another row.
func (s *secrets) seal(ad string, data []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, data, []byte(ad))
}

func (s *secrets) open(ad string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed value too short")
	}
	data, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(ad))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", ad, err)
	}
	return data, nil
}

// pairwise is the subject a service sees for a person: an HMAC of the
// service and the national number, so that it is stable for that service,
// the same with the token and the eID, and unlinkable across services.
func (s *secrets) pairwise(clientID, nationalNumber string) string {
	m := hmac.New(sha256.New, s.subject)
	m.Write([]byte(clientID))
	m.Write([]byte{0})
	m.Write([]byte(nationalNumber))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// randomID is an unguessable identifier for a request, code or token.
func randomID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}
