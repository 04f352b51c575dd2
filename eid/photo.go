package eid

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
)

// photoHashAlgorithm tells the hash of tag 11 by its length: SHA-1 on old
// cards, SHA-256 on later 1.7 cards, SHA-384 on 1.8 (beid-card.md §5.2).
func photoHashAlgorithm(n int) (crypto.Hash, bool) {
	switch n {
	case sha1.Size:
		return crypto.SHA1, true
	case sha256.Size:
		return crypto.SHA256, true
	case sha512.Size384:
		return crypto.SHA384, true
	}
	return 0, false
}

func hashOf(h crypto.Hash, data []byte) []byte {
	d := h.New()
	d.Write(data)
	return d.Sum(nil)
}

// VerifyPhotoHash checks the photo file 4035 against the photo hash of the
// identity file (tag 11), with the hash its length implies.
func VerifyPhotoHash(photo, hash []byte) error {
	h, ok := photoHashAlgorithm(len(hash))
	if !ok {
		return fmt.Errorf("photo hash is %d bytes, not a SHA-1, SHA-256 or SHA-384 digest", len(hash))
	}
	if got := hashOf(h, photo); !bytes.Equal(got, hash) {
		return fmt.Errorf("photo hash mismatch: card says %v %x, the %d-byte photo hashes to %x",
			h, hash, len(photo), got)
	}
	return nil
}
