package virtualcard

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
)

// sigFileSize is the size of 4032 and 4034. RSA-2048 signatures fill it
// exactly; an ECDSA P-384 DER signature (at most 104 bytes) is followed
// by zeros, as on re-keyed EC cards. The 1.8 size is not published; 256
// matches the only EC sample.
const sigFileSize = 256

// rrnSign signs data as the National Register does (beid-card.md §5.7):
// RSA keys use PKCS#1 v1.5 with SHA-256, the hash that matches our
// 32-byte 1.7 photo hash (readers pick the hash from that length); EC
// keys use ECDSA with SHA-384, DER-encoded. The result is padded to
// sigFileSize.
func rrnSign(key crypto.Signer, data []byte) ([]byte, error) {
	var sig []byte
	var err error
	switch k := key.(type) {
	case *rsa.PrivateKey:
		h := sha256.Sum256(data)
		sig, err = rsa.SignPKCS1v15(nil, k, crypto.SHA256, h[:])
	case *ecdsa.PrivateKey:
		h := sha512.Sum384(data)
		sig, err = ecdsa.SignASN1(rand.Reader, k, h[:])
	default:
		return nil, fmt.Errorf("RRN key type %T not supported", key)
	}
	if err != nil {
		return nil, fmt.Errorf("RRN signature: %w", err)
	}
	if len(sig) > sigFileSize {
		return nil, fmt.Errorf("RRN signature of %d bytes exceeds the %d-byte file", len(sig), sigFileSize)
	}
	return append(sig, make([]byte, sigFileSize-len(sig))...), nil
}

// addressSigned is what 4034 signs: the address without its trailing
// zero bytes, then the identity signature file as stored, padding
// included (verified against a re-keyed EC sample card).
func addressSigned(address, identitySig []byte) []byte {
	a := bytes.TrimRight(address, "\x00")
	return append(append([]byte(nil), a...), identitySig...)
}
