package portal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// A queued letter carries the token's codes in clear, a queued e-mail
// codes or an activation link and the recipient's address: each is
// sealed (AES-256-GCM) under a key derived from the code key, so that
// the database alone still reveals none of it. Each queue has a key of
// its own (its purpose), so that a row cannot be moved from one queue to
// the other; the citizen's id is the additional data, so that it cannot
// be moved to another citizen either.
const (
	letterPurpose = "eidbridge portal letter queue" // never change: it keys the letters already queued
	mailPurpose   = "eidbridge portal mail outbox"
)

func (h codeHasher) queueAEAD(purpose string) (cipher.AEAD, error) {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(purpose))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("%s key: %w", purpose, err)
	}
	return cipher.NewGCM(block)
}

// seal encrypts data for the queue purpose names, bound to citizenID.
func (h codeHasher) seal(purpose string, citizenID int64, data []byte) ([]byte, error) {
	aead, err := h.queueAEAD(purpose)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, data, citizenAD(citizenID)), nil
}

// unseal is seal's inverse; it fails on a row sealed for another
// citizen or queue, or altered.
func (h codeHasher) unseal(purpose string, citizenID int64, sealed []byte) ([]byte, error) {
	aead, err := h.queueAEAD(purpose)
	if err != nil {
		return nil, err
	}
	n := aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed row too short")
	}
	data, err := aead.Open(nil, sealed[:n], sealed[n:], citizenAD(citizenID))
	if err != nil {
		return nil, fmt.Errorf("open sealed row (%s): %w", purpose, err)
	}
	return data, nil
}

func (h codeHasher) sealLetter(citizenID int64, data []byte) ([]byte, error) {
	return h.seal(letterPurpose, citizenID, data)
}

func (h codeHasher) openLetter(citizenID int64, sealed []byte) ([]byte, error) {
	return h.unseal(letterPurpose, citizenID, sealed)
}

func citizenAD(citizenID int64) []byte { return fmt.Appendf(nil, "citizen %d", citizenID) }
