package eid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
)

// ErrSignatureKey: the signature the card made does not verify with the
// certificate's public key, so it is withheld. A card that is not the one
// the certificate came from, or a faulty one, gives this.
var ErrSignatureKey = errors.New("eid: the card's signature does not verify with its certificate's key")

// check verifies sig (DER for ECDSA) over digest with the certificate's
// key, with the scheme sign asked the card for.
func (s *CardSigner) check(digest []byte, opts crypto.SignerOpts, sig []byte) error {
	h := opts.HashFunc()
	var err error
	switch pub := s.cert.PublicKey.(type) {
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, digest, sig) {
			err = errors.New("ECDSA verification failed")
		}
	case *rsa.PublicKey:
		if _, pss := opts.(*rsa.PSSOptions); pss {
			err = rsa.VerifyPSS(pub, h, digest, sig, &rsa.PSSOptions{SaltLength: h.Size(), Hash: h})
		} else {
			err = rsa.VerifyPKCS1v15(pub, h, digest, sig)
		}
	default:
		err = fmt.Errorf("unsupported public key type %T", pub)
	}
	if err != nil {
		return &SignError{s.role, "checking the signature", fmt.Errorf("%w: %v", ErrSignatureKey, err)}
	}
	return nil
}
