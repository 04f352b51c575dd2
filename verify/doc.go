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
// Revocation: the network is not assumed here, so by default no OCSP or
// CRL check is made, and every Citizen says so (RevocationChecked false).
// A real deployment must check revocation: configure a RevocationChecker
// that queries the certificate's OCSP responder (or a CRL).
//
// The package is pure Go (standard library and package eid) and builds
// with CGO_ENABLED=0.
package verify
