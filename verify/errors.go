package verify

import (
	"errors"
	"fmt"
)

// Errors returned by the Validator. Every error it returns wraps exactly
// one of the top-level sentinels (ErrTokenFormat, ErrAlgorithm,
// ErrCertificate, ErrSignature, ErrNonce, ErrRevocation) with a detail;
// the finer sentinels wrap their top-level one, so errors.Is works at
// either level.
var (
	ErrTokenFormat = errors.New("authentication token is malformed")
	ErrAlgorithm   = errors.New("authentication token algorithm is not acceptable")
	ErrCertificate = errors.New("authentication certificate is not acceptable")
	ErrSignature   = errors.New("authentication token signature does not verify")
	ErrNonce       = errors.New("challenge nonce is not acceptable")
	ErrRevocation  = errors.New("certificate revocation check failed")
)

// Certificate sub-reasons; each wraps ErrCertificate.
var (
	ErrCertificateParse       = fmt.Errorf("%w: does not parse", ErrCertificate)
	ErrCertificateKeyUsage    = fmt.Errorf("%w: key usage lacks digitalSignature", ErrCertificate)
	ErrCertificateEKU         = fmt.Errorf("%w: extended key usage lacks clientAuth", ErrCertificate)
	ErrCertificateExpired     = fmt.Errorf("%w: expired", ErrCertificate)
	ErrCertificateNotYetValid = fmt.Errorf("%w: not yet valid", ErrCertificate)
	ErrUntrustedChain         = fmt.Errorf("%w: does not chain to a trusted CA", ErrCertificate)
	ErrCertificateSubject     = fmt.Errorf("%w: subject does not name a citizen", ErrCertificate)
)

// Nonce sub-reasons; each wraps ErrNonce.
var (
	ErrNonceUnknown      = fmt.Errorf("%w: unknown or already used", ErrNonce)
	ErrNonceExpired      = fmt.Errorf("%w: expired", ErrNonce)
	ErrNonceWrongSession = fmt.Errorf("%w: issued to another session", ErrNonce)
	ErrNonceMalformed    = fmt.Errorf("%w: malformed", ErrNonce)
	ErrNonceStoreFull    = fmt.Errorf("%w: too many outstanding nonces", ErrNonce)
)

// Revocation sub-reasons; each wraps ErrRevocation. Every one rejects the
// certificate: a check that cannot conclude fails closed.
var (
	// ErrRevoked: the CA says the certificate is revoked (or on hold).
	ErrRevoked = fmt.Errorf("%w: certificate is revoked", ErrRevocation)
	// ErrRevocationUnknown: the responder does not know the certificate.
	ErrRevocationUnknown = fmt.Errorf("%w: responder does not know the certificate", ErrRevocation)
	// ErrRevocationUnreachable: no answer (network error, timeout, HTTP
	// status other than 200, responder refusing, no URL to ask).
	ErrRevocationUnreachable = fmt.Errorf("%w: revocation service unreachable", ErrRevocation)
	// ErrRevocationStale: the answer is not current (thisUpdate or
	// nextUpdate outside the allowed skew, or an unechoed nonce on an old
	// answer).
	ErrRevocationStale = fmt.Errorf("%w: revocation data is not current", ErrRevocation)
	// ErrRevocationBadSignature: the answer is not signed by the CA or a
	// proper delegated responder, does not match the request, or is
	// malformed.
	ErrRevocationBadSignature = fmt.Errorf("%w: revocation data is not authentic", ErrRevocation)
)

// Configuration and identity errors.
var (
	// ErrOrigin: the configured origin is not a web origin.
	ErrOrigin = errors.New("origin is not acceptable")
	// ErrConfig: the Validator configuration is incomplete.
	ErrConfig = errors.New("validator configuration is incomplete")
	// ErrIdentity: identity data does not verify or does not parse.
	ErrIdentity = errors.New("identity data is not acceptable")
	// ErrCitizenMismatch: identity data belongs to someone other than the
	// authenticated citizen.
	ErrCitizenMismatch = errors.New("identity data is not the authenticated citizen's")
)

// detail wraps a sentinel with a formatted explanation.
func detail(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}
