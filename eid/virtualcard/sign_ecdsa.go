package virtualcard

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/eidbridge/eidbridge/apdu"
)

// ecdsaDigestLens maps the 1.8 algorithm bytes to the hash lengths the
// card takes (beid-card.md §3.5); the hash is always computed off-card.
var ecdsaDigestLens = map[byte][]int{
	0x01: {32},                 // SHA-256
	0x02: {48},                 // SHA-384
	0x04: {64},                 // SHA-512
	0x08: {32},                 // SHA3-256
	0x10: {48},                 // SHA3-384
	0x20: {64},                 // SHA3-512
	0x40: {20, 28, 32, 48, 64}, // hash not specified
}

// signECDSA signs the given hash and returns plain r‖s (TR-03111), not DER.
func signECDSA(key crypto.Signer, alg byte, digest []byte) ([]byte, apdu.Status) {
	lens, ok := ecdsaDigestLens[alg]
	if !ok {
		return nil, apdu.ConditionsNotMet
	}
	if !digestLenOK(lens, len(digest)) {
		return nil, apdu.WrongLength
	}
	sig, err := rawECDSA(key, digest)
	if err != nil {
		return nil, apdu.NoPreciseDiagnosis
	}
	return sig, apdu.OK
}

func digestLenOK(lens []int, n int) bool {
	for _, l := range lens {
		if l == n {
			return true
		}
	}
	return false
}

// rawECDSA signs digest with an ECDSA key and converts the DER signature
// to r‖s, each left-padded to the byte length of the group order (96
// bytes in all for P-384).
func rawECDSA(key crypto.Signer, digest []byte) ([]byte, error) {
	pub, ok := key.Public().(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("virtual card: key is not an ECDSA key")
	}
	der, err := key.Sign(rand.Reader, digest, hashForDigestLen(len(digest)))
	if err != nil {
		return nil, fmt.Errorf("virtual card: ECDSA sign: %w", err)
	}
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("virtual card: signer returned a malformed ECDSA signature")
	}
	n := (pub.Curve.Params().N.BitLen() + 7) / 8
	if rs.R.Sign() <= 0 || rs.S.Sign() <= 0 || rs.R.BitLen() > 8*n || rs.S.BitLen() > 8*n {
		return nil, fmt.Errorf("virtual card: ECDSA signature values out of range")
	}
	out := make([]byte, 2*n)
	rs.R.FillBytes(out[:n])
	rs.S.FillBytes(out[n:])
	return out, nil
}

// hashForDigestLen tells a generic signer which hash the digest came from;
// ecdsa.PrivateKey ignores it and signs the bytes given.
func hashForDigestLen(n int) crypto.Hash {
	switch n {
	case 20:
		return crypto.SHA1
	case 28:
		return crypto.SHA224
	case 32:
		return crypto.SHA256
	case 48:
		return crypto.SHA384
	case 64:
		return crypto.SHA512
	}
	return 0
}
