package verify

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/eid"
)

// Config configures a Validator.
type Config struct {
	// Origin is the site's origin as the browser reports it,
	// https://host[:port]; see NormalizeOrigin.
	Origin string
	// Roots are the trust anchors, e.g. the Belgium Root CAs. Required.
	Roots *x509.CertPool
	// Intermediates are the issuing CAs (Citizen CA, Foreigner CA) used to
	// build the path: the token carries the authentication certificate
	// only. They are trusted only through Roots.
	Intermediates *x509.CertPool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Revocation checks OCSP/CRL (NewOCSPChecker, NewCRLChecker); nil
	// means no revocation check, which every Citizen then states.
	Revocation RevocationChecker
}

// Validator validates authentication tokens for one origin. It is safe
// for concurrent use.
type Validator struct {
	origin       string
	roots, inter *x509.CertPool
	now          func() time.Time
	revocation   RevocationChecker
}

// Citizen is the person a valid token authenticates.
type Citizen struct {
	NationalNumber eid.NationalNumber // from the certificate's serialNumber
	Surname        string             // SN
	GivenNames     string             // GN
	CommonName     string             // CN, e.g. "Jan Peeters (Authentication)"
	Certificate    *x509.Certificate
	Chain          []*x509.Certificate // leaf first, trusted root last
	Algorithm      string              // the token's algorithm
	// RevocationChecked is false when no RevocationChecker is configured;
	// Revocation says so in words, or what the checker found.
	RevocationChecked bool
	Revocation        string
}

// NewValidator checks cfg and normalises its origin.
func NewValidator(cfg Config) (*Validator, error) {
	origin, err := NormalizeOrigin(cfg.Origin)
	if err != nil {
		return nil, err
	}
	if cfg.Roots == nil {
		return nil, fmt.Errorf("%w: no trusted roots (Config.Roots)", ErrConfig)
	}
	v := &Validator{origin: origin, roots: cfg.Roots, inter: cfg.Intermediates, now: cfg.Now, revocation: cfg.Revocation}
	if v.now == nil {
		v.now = time.Now
	}
	return v, nil
}

// Origin is the normalised origin tokens must be signed for.
func (v *Validator) Origin() string { return v.origin }

// Validate parses a token as received from the browser and validates it
// against nonce, the exact string this site issued. It does not consume
// the nonce: use ValidateSession, or consume it before calling.
func (v *Validator) Validate(token []byte, nonce string) (*Citizen, error) {
	t, err := ParseToken(token)
	if err != nil {
		return nil, err
	}
	return v.ValidateToken(t, nonce)
}

// ValidateSession consumes nonce for sessionID in store, then validates
// token with it. The nonce is spent even when the token is rejected, so
// each nonce allows one attempt.
func (v *Validator) ValidateSession(store NonceStore, sessionID, nonce string, token []byte) (*Citizen, error) {
	if store == nil {
		return nil, fmt.Errorf("%w: no NonceStore", ErrConfig)
	}
	if err := store.Consume(sessionID, nonce); err != nil {
		return nil, err
	}
	return v.Validate(token, nonce)
}

// ValidateToken applies the Web eID rules to an already decoded token.
func (v *Validator) ValidateToken(t *AuthToken, nonce string) (*Citizen, error) {
	if err := checkForm(t); err != nil {
		return nil, err
	}
	if err := CheckNonceSyntax(nonce); err != nil {
		return nil, err
	}
	cert, err := parseCertificate(t.UnverifiedCertificate)
	if err != nil {
		return nil, err
	}
	alg, err := lookupAlgorithm(t.Algorithm, cert.PublicKey)
	if err != nil {
		return nil, err
	}
	chain, err := v.checkCertificate(cert)
	if err != nil {
		return nil, err
	}
	cz, err := citizenOf(cert)
	if err != nil {
		return nil, err
	}
	if err := v.checkSignature(t, alg, cert, nonce); err != nil {
		return nil, err
	}
	cz.Chain, cz.Algorithm = chain, t.Algorithm
	cz.Revocation = RevocationNotChecked
	if v.revocation != nil {
		desc, err := checkRevocation(v.revocation, chain)
		if err != nil {
			return nil, revocationError("authentication certificate", err)
		}
		cz.RevocationChecked, cz.Revocation = true, desc
	}
	return cz, nil
}

func (v *Validator) checkCertificate(cert *x509.Certificate) ([]*x509.Certificate, error) {
	if err := checkPurpose(cert); err != nil {
		return nil, err
	}
	now := v.now()
	if err := checkValidity(cert, now); err != nil {
		return nil, err
	}
	return checkChain(cert, v.roots, v.inter, now)
}

func (v *Validator) checkSignature(t *AuthToken, alg algorithm, cert *x509.Certificate, nonce string) error {
	sig, err := base64.StdEncoding.Strict().DecodeString(t.Signature)
	if err != nil {
		return detail(ErrTokenFormat, "signature is not standard base64: %v", err)
	}
	d := SignedDigest(alg.hash, v.origin, nonce)
	if err := alg.verifySignature(cert.PublicKey, d, sig); err != nil {
		return detail(ErrSignature, "%s over origin %q and the session nonce: %v", t.Algorithm, v.origin, err)
	}
	return nil
}
