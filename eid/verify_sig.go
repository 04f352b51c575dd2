package eid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"
	"strings"
)

// rsaHashes picks the hashes to try for an RSA-era RRN signature from the
// length of the photo hash, as the eID Viewer does: SHA-1 cards are signed
// with SHA-1 and SHA-256 cards with SHA-256, but some re-signed cards keep
// a SHA-1 photo hash with SHA-256 signatures, so SHA-256 is always tried
// last. An absent or odd photo hash tries SHA-1 then SHA-256.
func rsaHashes(photoHashLen int) []crypto.Hash {
	switch h, _ := photoHashAlgorithm(photoHashLen); h {
	case crypto.SHA256:
		return []crypto.Hash{crypto.SHA256}
	case crypto.SHA384:
		return []crypto.Hash{crypto.SHA384, crypto.SHA256}
	}
	return []crypto.Hash{crypto.SHA1, crypto.SHA256}
}

// verifyRRNSignature checks that sig, a signature file as stored on the
// card, signs data under the RRN key. It returns the algorithm that
// verified, or an error saying why the signature does not verify.
func verifyRRNSignature(pub crypto.PublicKey, data, sig []byte, photoHashLen int) (string, error) {
	switch pub := pub.(type) {
	case *rsa.PublicKey:
		return verifyRSA(pub, data, sig, rsaHashes(photoHashLen))
	case *ecdsa.PublicKey:
		return verifyECDSA(pub, data, sig)
	}
	return "", fmt.Errorf("RRN key type %T is not supported", pub)
}

// verifyRSA: PKCS#1 v1.5; the file holds exactly one key-sized block.
func verifyRSA(pub *rsa.PublicKey, data, sig []byte, hashes []crypto.Hash) (string, error) {
	size := pub.Size()
	if len(sig) != size {
		return "", fmt.Errorf("signature file is %d bytes but the RSA-%d RRN key makes %d-byte signatures",
			len(sig), pub.N.BitLen(), size)
	}
	var tried []string
	for _, h := range hashes {
		if rsa.VerifyPKCS1v15(pub, h, hashOf(h, data), sig) == nil {
			return fmt.Sprintf("RSA-%d PKCS#1 v1.5 with %v", pub.N.BitLen(), h), nil
		}
		tried = append(tried, h.String())
	}
	return "", fmt.Errorf("does not verify with the RRN key (RSA-%d PKCS#1 v1.5, tried %s)",
		pub.N.BitLen(), strings.Join(tried, " and "))
}

// verifyECDSA: SHA-384, with the DER signature inside a zero-padded file
// whose real length comes from the DER header (beid-card.md §5.7).
func verifyECDSA(pub *ecdsa.PublicKey, data, sig []byte) (string, error) {
	n, err := derObjectLength(sig)
	if err != nil {
		return "", fmt.Errorf("signature file does not hold a DER ECDSA signature: %w", err)
	}
	curve := pub.Curve.Params().Name
	if !ecdsa.VerifyASN1(pub, hashOf(crypto.SHA384, data), sig[:n]) {
		return "", fmt.Errorf("does not verify with the RRN key (ECDSA %s with SHA-384)", curve)
	}
	return fmt.Sprintf("ECDSA %s with SHA-384", curve), nil
}
