package eid

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// ErrECDSASignature: bytes that are not a well-formed ECDSA signature.
var ErrECDSASignature = errors.New("eid: malformed ECDSA signature")

type ecdsaSig struct{ R, S *big.Int }

// ECDSARawToDER converts the card's plain r‖s (TR-03111: r and s
// big-endian, each as long as the group order) to the ASN.1 DER
// SEQUENCE { r INTEGER, s INTEGER } that X.509, TLS, crypto.Signer and
// openssl expect.
func ECDSARawToDER(raw []byte) ([]byte, error) {
	if len(raw) == 0 || len(raw)%2 != 0 {
		return nil, fmt.Errorf("%w: r‖s of %d bytes is not two equal halves", ErrECDSASignature, len(raw))
	}
	n := len(raw) / 2
	sig := ecdsaSig{new(big.Int).SetBytes(raw[:n]), new(big.Int).SetBytes(raw[n:])}
	if sig.R.Sign() == 0 || sig.S.Sign() == 0 {
		return nil, fmt.Errorf("%w: r or s is zero", ErrECDSASignature)
	}
	return asn1.Marshal(sig)
}

// ECDSADERToRaw converts a DER ECDSA signature to r‖s with each half
// size bytes long: the byte length of the curve order, 48 for P-384.
func ECDSADERToRaw(der []byte, size int) ([]byte, error) {
	var sig ecdsaSig
	rest, err := asn1.Unmarshal(der, &sig)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrECDSASignature, err)
	case len(rest) != 0:
		return nil, fmt.Errorf("%w: %d bytes after the DER SEQUENCE", ErrECDSASignature, len(rest))
	case size <= 0:
		return nil, fmt.Errorf("%w: half size %d", ErrECDSASignature, size)
	}
	for _, v := range []*big.Int{sig.R, sig.S} {
		if v.Sign() <= 0 || v.BitLen() > 8*size {
			return nil, fmt.Errorf("%w: r or s is not a positive number of at most %d bytes", ErrECDSASignature, size)
		}
	}
	raw := make([]byte, 2*size)
	sig.R.FillBytes(raw[:size])
	sig.S.FillBytes(raw[size:])
	return raw, nil
}
