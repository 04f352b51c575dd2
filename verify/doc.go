// Package verify is the website side of eID authentication: it issues
// challenge nonces, validates the authentication tokens the eidbridge
// agent returns (the Web eID "web-eid:1.0" format, so a site may equally
// use Web eID's own validators), and checks identity data read from the
// card against the National Register's signatures.
//
// A token proves that the holder of a certificate's private key signed
// H(H(origin) ‖ H(nonce)) for this site's origin and a nonce this site
// issued to this session. The Validator checks the token's form, the
// certificate (key usage, extended key usage, validity, chain to the
// configured CAs) and the signature; ValidateSession also consumes the
// nonce so that it serves exactly once.
//
// Revocation: no OCSP or CRL check is made unless Config.Revocation is
// set, and every Citizen says so (RevocationChecked false). A real
// deployment must set it: NewOCSPChecker asks the responder named in the
// certificate (nonce, signature by the CA or its delegated responder,
// thisUpdate/nextUpdate within 15 minutes of skew, 5 s bound), and
// NewCRLChecker reads the CRL of its distribution point. Both cache
// answers until their nextUpdate, make concurrent checks of one
// certificate share a request, and fail closed: every failure wraps
// ErrRevocation through ErrRevoked, ErrRevocationUnknown,
// ErrRevocationUnreachable, ErrRevocationStale or
// ErrRevocationBadSignature. IdentityOptions.Revocation checks the
// National Register's certificate the same way.
//
// The package is pure Go (standard library, package eid,
// golang.org/x/crypto/ocsp and golang.org/x/sync/singleflight) and builds
// with CGO_ENABLED=0.
package verify
