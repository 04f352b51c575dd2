package eid

import (
	"crypto"
	"crypto/rsa"
	"fmt"
)

// mechanism is what MSE:SET names and PSO receives.
type mechanism struct {
	alg  byte   // MSE:SET algorithm reference (beid-card.md §3.5)
	dtbs []byte // data to be signed, as PSO sends it
}

// Applet 1.8 (ECDSA P-384): the hash is computed off-card and sent bare.
var ecdsaAlgs = map[crypto.Hash]byte{crypto.SHA256: 0x01, crypto.SHA384: 0x02, crypto.SHA512: 0x04}

// Applet 1.7 RSA-PSS: the only PSS forms the applet has.
var pssAlgs = map[crypto.Hash]byte{crypto.SHA1: 0x10, crypto.SHA256: 0x20}

// Applet 1.7 PKCS#1 v1.5 always uses algorithm 01 with a DigestInfo built
// here, even for SHA-256 where 08 with the bare hash also exists: one code
// path for every hash (SHA-384/512 have no bare-hash algorithm), and 01
// is the mode OpenSC and commons-eid send for everything, so it is the
// one most exercised on real cards. PKCS#1 v1.5 is deterministic, so the
// signature is the same bytes either way.
const algPKCS1DigestInfo = 0x01

// DigestInfo prefixes (RFC 8017 §9.2 note 1): the DER header and the
// hash's AlgorithmIdentifier in front of the digest.
var digestInfoPrefixes = map[crypto.Hash][]byte{
	crypto.SHA1:   {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00, 0x04, 0x14},
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}

// isEC reports whether the card's user keys are ECDSA (applet 1.8).
func (c *Card) isEC() bool { return c.Data.AppletVersion >= Applet18 }

// mechanism picks the algorithm and PSO data for digest under opts, or
// explains why the card cannot make that signature. It sends nothing.
func (c *Card) mechanism(digest []byte, opts crypto.SignerOpts) (mechanism, error) {
	if opts == nil {
		return mechanism{}, fmt.Errorf("%w: no hash given", ErrUnsupportedHash)
	}
	h := opts.HashFunc()
	pss, isPSS := opts.(*rsa.PSSOptions)
	switch {
	case c.isEC() && isPSS:
		return mechanism{}, fmt.Errorf("%w: RSA-PSS with an ECDSA key (applet %s)", ErrUnsupportedHash, c.Data.Applet())
	case c.isEC():
		return pick(ecdsaAlgs, h, digest, "ECDSA with SHA-256, SHA-384 or SHA-512")
	case isPSS:
		m, err := pick(pssAlgs, h, digest, "RSA-PSS with SHA-1 or SHA-256")
		if err == nil && pss.SaltLength != rsa.PSSSaltLengthEqualsHash && pss.SaltLength != h.Size() {
			return mechanism{}, fmt.Errorf("%w (asked for salt length %d with %v)", ErrPSSSaltLength, pss.SaltLength, h)
		}
		return m, err
	}
	prefix, ok := digestInfoPrefixes[h]
	if !ok {
		return mechanism{}, unsupported(h, "RSA PKCS#1 v1.5 with SHA-1, SHA-256, SHA-384 or SHA-512")
	}
	if err := checkDigest(h, digest); err != nil {
		return mechanism{}, err
	}
	dtbs := append(append(make([]byte, 0, len(prefix)+len(digest)), prefix...), digest...)
	return mechanism{alg: algPKCS1DigestInfo, dtbs: dtbs}, nil
}

// pick is the bare-hash case: the algorithm byte comes from the table.
func pick(algs map[crypto.Hash]byte, h crypto.Hash, digest []byte, offer string) (mechanism, error) {
	alg, ok := algs[h]
	if !ok {
		return mechanism{}, unsupported(h, offer)
	}
	if err := checkDigest(h, digest); err != nil {
		return mechanism{}, err
	}
	return mechanism{alg: alg, dtbs: append([]byte(nil), digest...)}, nil
}

func unsupported(h crypto.Hash, offer string) error {
	if h == 0 {
		return fmt.Errorf("%w: no hash given (this card signs %s)", ErrUnsupportedHash, offer)
	}
	return fmt.Errorf("%w: %v (this card signs %s)", ErrUnsupportedHash, h, offer)
}

// checkDigest runs only on hashes from the tables above, for which
// crypto.Hash.Size is defined.
func checkDigest(h crypto.Hash, digest []byte) error {
	if len(digest) != h.Size() {
		return fmt.Errorf("%w: %v digests are %d bytes, got %d", ErrDigestLength, h, h.Size(), len(digest))
	}
	return nil
}
