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

// A queued letter carries the token's codes in clear: it is sealed
// (AES-256-GCM) under a key derived from the code key, so that the
// database alone still reveals no code. The citizen's id is the
// additional data: a sealed letter cannot be moved to another citizen.

func (h codeHasher) letterAEAD() (cipher.AEAD, error) {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("eidbridge portal letter queue"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("letter key: %w", err)
	}
	return cipher.NewGCM(block)
}

func (h codeHasher) sealLetter(citizenID int64, data []byte) ([]byte, error) {
	aead, err := h.letterAEAD()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, data, letterAD(citizenID)), nil
}

func (h codeHasher) openLetter(citizenID int64, sealed []byte) ([]byte, error) {
	aead, err := h.letterAEAD()
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("sealed letter too short")
	}
	n := aead.NonceSize()
	data, err := aead.Open(nil, sealed[:n], sealed[n:], letterAD(citizenID))
	if err != nil {
		return nil, fmt.Errorf("open letter: %w", err)
	}
	return data, nil
}

func letterAD(citizenID int64) []byte { return fmt.Appendf(nil, "citizen %d", citizenID) }
