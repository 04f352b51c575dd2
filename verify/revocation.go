package verify

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// RevocationChecker checks that a certificate is not revoked. A real
// deployment needs one: the Belgian CAs publish OCSP responders (in the
// certificate's Authority Information Access) and CRLs. NewOCSPChecker and
// NewCRLChecker make the two kinds; none is configured by default, so that
// this package makes no network call unless asked to.
type RevocationChecker interface {
	// CheckRevocation returns nil when chain[0], issued by chain[1], is
	// known good; any error (revoked, unknown, responder unreachable)
	// rejects the certificate. The implementation bounds its own time.
	// Errors should wrap ErrRevocation or one of its sub-reasons.
	CheckRevocation(chain []*x509.Certificate) error
}

// RevocationReporter is a RevocationChecker that also says, in words,
// what it found; the Validator puts that in Citizen.Revocation. The
// checkers of this package implement it.
type RevocationReporter interface {
	RevocationChecker
	// RevocationStatus is CheckRevocation returning a description of the
	// good answer, e.g. "good: OCSP at URL, thisUpdate …".
	RevocationStatus(chain []*x509.Certificate) (string, error)
}

// Revocation states reported in Citizen.Revocation.
const (
	RevocationNotChecked = "not checked: no RevocationChecker configured; a deployment must check OCSP or CRL"
	RevocationGood       = "good: the RevocationChecker accepted the certificate"
)

// Defaults shared by the OCSP and CRL checkers.
const (
	// defaultSkew is the clock skew the reference validators allow on
	// thisUpdate and nextUpdate.
	defaultSkew = 15 * time.Minute
	// defaultFreshness is how long an answer without nextUpdate is cached.
	defaultFreshness = 5 * time.Minute
)

// checkRevocation runs rc on chain and describes its good answer.
func checkRevocation(rc RevocationChecker, chain []*x509.Certificate) (string, error) {
	if r, ok := rc.(RevocationReporter); ok {
		return r.RevocationStatus(chain)
	}
	if err := rc.CheckRevocation(chain); err != nil {
		return "", err
	}
	return RevocationGood, nil
}

// revocationError makes a checker's error wrap ErrRevocation, naming what
// was checked, so that errors.Is works at both levels whatever the
// checker returned.
func revocationError(what string, err error) error {
	if errors.Is(err, ErrRevocation) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrRevocation, what, err)
}

// subjectAndIssuer splits a chain for the checkers.
func subjectAndIssuer(chain []*x509.Certificate) (*x509.Certificate, *x509.Certificate, error) {
	if len(chain) < 2 || chain[0] == nil || chain[1] == nil {
		return nil, nil, fmt.Errorf("%w: the chain needs the certificate and its issuer", ErrRevocation)
	}
	return chain[0], chain[1], nil
}

// certKey names a certificate for the caches: its issuer (name and key,
// as an OCSP CertID does) and its serial number.
func certKey(cert, issuer *x509.Certificate) string {
	return issuerKey(issuer) + "/" + cert.SerialNumber.Text(16)
}

func issuerKey(issuer *x509.Certificate) string {
	h := sha256.New()
	h.Write(issuer.RawSubject)
	h.Write(issuer.RawSubjectPublicKeyInfo)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// serialText is how errors name a certificate: its serial in hexadecimal
// (never the subject, which holds the national number).
func serialText(n *big.Int) string {
	if n == nil {
		return "serial ?"
	}
	return "serial " + n.Text(16)
}

// reasonNames are RFC 5280 CRLReason values.
var reasonNames = map[int]string{
	0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged",
	4: "superseded", 5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL",
	9: "privilegeWithdrawn", 10: "aACompromise",
}

func reasonName(r int) string {
	if n, ok := reasonNames[r]; ok {
		return n
	}
	return fmt.Sprintf("reason %d", r)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
