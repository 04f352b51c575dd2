package verify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha256" // the hashes the algorithms name
	_ "crypto/sha512"
	"fmt"

	"github.com/eidbridge/eidbridge/eid"
)

// algorithm is one JWA signature algorithm Web eID tokens may name.
type algorithm struct {
	hash  crypto.Hash
	kind  string // "RSA", "RSA-PSS" or "ECDSA"
	curve string // ECDSA only: the curve the key must be on
}

var algorithms = map[string]algorithm{
	"RS256": {crypto.SHA256, "RSA", ""},
	"RS384": {crypto.SHA384, "RSA", ""},
	"RS512": {crypto.SHA512, "RSA", ""},
	"PS256": {crypto.SHA256, "RSA-PSS", ""},
	"PS384": {crypto.SHA384, "RSA-PSS", ""},
	"PS512": {crypto.SHA512, "RSA-PSS", ""},
	"ES256": {crypto.SHA256, "ECDSA", "P-256"},
	"ES384": {crypto.SHA384, "ECDSA", "P-384"},
	"ES512": {crypto.SHA512, "ECDSA", "P-521"},
}

// lookupAlgorithm returns the algorithm named name if it fits the key:
// RS/PS need an RSA key, ESxxx an ECDSA key on the matching curve (JWA
// ties ES384 to P-384: the card's P-384 key gives ES384).
func lookupAlgorithm(name string, pub crypto.PublicKey) (algorithm, error) {
	alg, ok := algorithms[name]
	if !ok {
		return algorithm{}, detail(ErrAlgorithm, "%q is not one of RS256/384/512, PS256/384/512, ES256/384/512", name)
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if alg.kind == "ECDSA" {
			return algorithm{}, detail(ErrAlgorithm, "%s needs an ECDSA key, the certificate has an RSA key", name)
		}
	case *ecdsa.PublicKey:
		if alg.kind != "ECDSA" {
			return algorithm{}, detail(ErrAlgorithm, "%s needs an RSA key, the certificate has an ECDSA key", name)
		}
		if got := k.Curve.Params().Name; got != alg.curve {
			return algorithm{}, detail(ErrAlgorithm, "%s needs a %s key, the certificate's key is on %s", name, alg.curve, got)
		}
	default:
		return algorithm{}, detail(ErrAlgorithm, "%s: the certificate's %T key is neither RSA nor ECDSA", name, pub)
	}
	return alg, nil
}

// SignedDigest is the digest the card signs for a token: with H the
// algorithm's hash, H( H(origin) ‖ H(nonce) ), origin and nonce taken as
// their exact UTF-8 bytes.
func SignedDigest(h crypto.Hash, origin, nonce string) []byte {
	return digest(h, digest(h, []byte(origin)), digest(h, []byte(nonce)))
}

func digest(h crypto.Hash, parts ...[]byte) []byte {
	w := h.New()
	for _, p := range parts {
		w.Write(p)
	}
	return w.Sum(nil)
}

// verifySignature checks sig over the token digest. ECDSA signatures are
// the card's raw r‖s, each half the size of the curve order; a DER
// signature is rejected by its length, as Web eID does.
func (alg algorithm) verifySignature(pub crypto.PublicKey, d, sig []byte) error {
	switch alg.kind {
	case "RSA":
		return rsa.VerifyPKCS1v15(pub.(*rsa.PublicKey), alg.hash, d, sig)
	case "RSA-PSS":
		// JWA PS*: MGF1 with the same hash, salt as long as the hash.
		opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: alg.hash}
		return rsa.VerifyPSS(pub.(*rsa.PublicKey), alg.hash, d, sig, opts)
	}
	k := pub.(*ecdsa.PublicKey)
	size := (k.Curve.Params().N.BitLen() + 7) / 8
	if len(sig) != 2*size {
		return fmt.Errorf("ECDSA signature of %d bytes, want raw r‖s of %d (a DER signature is not accepted)", len(sig), 2*size)
	}
	der, err := eid.ECDSARawToDER(sig)
	if err != nil {
		return err
	}
	if !ecdsa.VerifyASN1(k, d, der) {
		return fmt.Errorf("ECDSA verification failed")
	}
	return nil
}
