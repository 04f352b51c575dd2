package verify

import "crypto/x509"

// RevocationChecker checks that an authentication certificate is not
// revoked. A real deployment needs one: the Belgian CAs publish OCSP
// responders (in the certificate's Authority Information Access) and
// CRLs. The reference validators ask OCSP with a SHA-1 CertID and a nonce
// extension, require exactly one response signed by a responder
// certificate with the OCSP-signing EKU that chains to a trusted CA,
// thisUpdate within ±15 minutes, status good, and give up after 5 s.
// This package makes no network calls itself, so none is configured by
// default.
type RevocationChecker interface {
	// CheckRevocation returns nil when chain[0], issued by chain[1], is
	// known good; any error (revoked, unknown, responder unreachable)
	// rejects the token. The implementation bounds its own time.
	CheckRevocation(chain []*x509.Certificate) error
}

// Revocation states reported in Citizen.Revocation.
const (
	RevocationNotChecked = "not checked: no RevocationChecker configured; a deployment must check OCSP or CRL"
	RevocationGood       = "good: the RevocationChecker accepted the certificate"
)
