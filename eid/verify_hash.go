package eid

import (
	"bytes"
	"crypto"
	"crypto/sha512"
	"fmt"
)

// VerifyBasicKeyHash checks the 1.8 basic public key file 4040 against tag
// 1A of the identity file, which is its SHA-384.
func VerifyBasicKeyHash(key, hash []byte) error {
	if len(hash) != sha512.Size384 {
		return fmt.Errorf("basic key hash is %d bytes, want 48 (SHA-384)", len(hash))
	}
	if got := hashOf(crypto.SHA384, key); !bytes.Equal(got, hash) {
		return fmt.Errorf("basic key hash mismatch: card says SHA-384 %x, the %d-byte basic key file hashes to %x",
			hash, len(key), got)
	}
	return nil
}
