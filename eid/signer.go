package eid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"io"
)

// CardSigner is a key on the card as a crypto.Signer, for crypto/tls,
// crypto/x509 and the like. It holds no PIN: each Sign that needs one
// calls the prompt (or uses the reader's keypad), and the PIN is wiped
// right after it is turned into a PIN block.
//
// PIN rules (beid-card.md §3.7): KeyAuth asks once per card session and
// signs without asking while the card keeps the right; KeySign asks
// before every signature, with MSE:SET → VERIFY → PSO (after SELECT DF00
// when needed) in one card transaction so no other application's APDU
// comes between.
type CardSigner struct {
	card   *Card
	role   KeyRole
	prompt PINPrompt
	cert   *x509.Certificate
	cache  *CertCache // where cert came from or went; nil for none
}

// Signer returns the role's key as a crypto.Signer. It reads and parses
// the role's certificate once, here; Public is its public key. A card
// without that certificate (kids cards, citizens who declined the
// signature certificate) gives an error matching ErrNoCertificate.
func (c *Card) Signer(role KeyRole, prompt PINPrompt) (*CardSigner, error) {
	id, err := role.certFile()
	if err != nil {
		return nil, err
	}
	data, err := c.ReadFile(id)
	if err != nil {
		return nil, err
	}
	cert, err := ParseCertificateFile(data)
	if err != nil {
		return nil, fmt.Errorf("eid: %s: %w", id.Name, err)
	}
	if err := c.checkKeyType(cert); err != nil {
		return nil, fmt.Errorf("eid: %s: %w", id.Name, err)
	}
	return &CardSigner{card: c, role: role, prompt: prompt, cert: cert}, nil
}

// checkKeyType refuses a certificate whose key the applet cannot hold, so
// Sign never has to guess the output format.
func (c *Card) checkKeyType(cert *x509.Certificate) error {
	switch pub := cert.PublicKey.(type) {
	case *ecdsa.PublicKey:
		if c.isEC() {
			return nil
		}
	case *rsa.PublicKey:
		if !c.isEC() {
			return nil
		}
	default:
		return fmt.Errorf("unsupported public key type %T", pub)
	}
	return fmt.Errorf("a %T does not match applet %s", cert.PublicKey, c.Data.Applet())
}

// Public returns the public key from the card's certificate.
func (s *CardSigner) Public() crypto.PublicKey { return s.cert.PublicKey }

// Certificate returns the certificate the public key comes from.
func (s *CardSigner) Certificate() *x509.Certificate { return s.cert }

// Role returns the key this signer uses.
func (s *CardSigner) Role() KeyRole { return s.role }

// Sign signs digest on the card; rand is ignored (the card has its own
// generator). opts.HashFunc() names the hash: SHA-256, SHA-384 or SHA-512
// (and SHA-1 on RSA). RSA keys make PKCS#1 v1.5 signatures, or RSA-PSS
// when opts is *rsa.PSSOptions with SHA-1 or SHA-256 and a salt as long
// as the hash (rsa.PSSSaltLengthEqualsHash): the applet's only PSS form;
// other salt lengths fail with ErrPSSSaltLength. ECDSA signatures are
// returned in ASN.1 DER, as crypto.Signer requires.
//
// Every signature is checked against the certificate's key before it is
// returned (a fraction of a millisecond next to the card's work): a
// certificate from a CertCache is trusted only because of this check,
// and a mismatch also drops it from the cache.
func (s *CardSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	raw, err := s.card.sign(s.role, digest, opts, s.prompt)
	if err != nil {
		return nil, err
	}
	sig, err := s.encode(raw)
	if err == nil {
		err = s.check(digest, opts, sig)
	}
	if err != nil {
		s.cache.forget(s.card.Data.Serial, s.role)
		return nil, err
	}
	return sig, nil
}

// encode checks the signature's length against the key and converts
// ECDSA's r‖s to DER.
func (s *CardSigner) encode(sig []byte) ([]byte, error) {
	switch pub := s.cert.PublicKey.(type) {
	case *ecdsa.PublicKey:
		size := (pub.Curve.Params().N.BitLen() + 7) / 8
		if len(sig) != 2*size {
			return nil, s.badLength(len(sig), 2*size)
		}
		return ECDSARawToDER(sig)
	case *rsa.PublicKey:
		if len(sig) != pub.Size() {
			return nil, s.badLength(len(sig), pub.Size())
		}
	}
	return sig, nil
}

// badLength: the key that signed is not the certificate's (or the card
// is faulty); better to say so than to hand out an unusable signature.
func (s *CardSigner) badLength(got, want int) error {
	return &SignError{s.role, "checking the signature",
		fmt.Errorf("the card returned %d bytes, the certificate's key makes %d", got, want)}
}
