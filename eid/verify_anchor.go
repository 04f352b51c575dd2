package eid

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// A pinned root is a trust anchor: RFC 5280 (6.1.1 d) takes its name and
// key, not its dates. It matters for Belgium Root CA4, whose first
// certificate ends on 2028-01-28 while cards that carry it stay valid
// after that (the re-issued CA4, with the same name and key, ends in
// 2032). crypto/x509 checks every certificate's dates, the root's too, so
// when the card's root is pinned and has expired, the path below it is
// checked here, against the root's key.

// expiredPinnedRoot is the card's root when it is pinned and its own
// validity has ended at the verification time.
func (v *verifier) expiredPinnedRoot() (*x509.Certificate, PinnedRoot, bool) {
	root := v.root.cert
	p, ok := PinnedRootOf(root)
	return root, p, ok && v.at().After(root.NotAfter)
}

// at is the verification time.
func (v *verifier) at() time.Time {
	if v.opts.Time.IsZero() {
		return time.Now()
	}
	return v.opts.Time
}

// belowAnchor checks cert's path to the card's root as an anchor: cert,
// and the card's CA when the root did not sign cert itself, valid at the
// verification time and each signed by the next, the top one by the
// root's key.
func (v *verifier) belowAnchor(cert *x509.Certificate) error {
	root := v.root.cert
	if cert.CheckSignatureFrom(root) == nil {
		return validAt(cert, v.at())
	}
	if v.ca.cert == nil {
		return errors.New("no card CA certificate (503A) between it and the root")
	}
	opts := x509.VerifyOptions{Roots: certPool(v.ca.cert), CurrentTime: v.at(),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	if _, err := cert.Verify(opts); err != nil {
		return err
	}
	if err := v.ca.cert.CheckSignatureFrom(root); err != nil {
		return fmt.Errorf("the card CA %q is not signed by the root: %w", certName(v.ca.cert), err)
	}
	return nil
}

// validAt says why c is not valid at t, if it is not.
func validAt(c *x509.Certificate, t time.Time) error {
	if t.Before(c.NotBefore) || t.After(c.NotAfter) {
		return fmt.Errorf("%q is valid from %s to %s, not at %s", certName(c),
			c.NotBefore.Format(time.DateOnly), c.NotAfter.Format(time.DateOnly), t.Format(time.DateOnly))
	}
	return nil
}

// anchorChain is chain's result for cert under an expired pinned root,
// when there is one and the path below it holds.
func (v *verifier) anchorChain(what string, cert *x509.Certificate) (checkResult, bool) {
	root, p, ok := v.expiredPinnedRoot()
	if !ok || v.belowAnchor(cert) != nil {
		return checkResult{}, false
	}
	return resOK("%s %q chains to the pinned %s (a trust anchor: its certificate's end, %s, does not count)",
		what, certName(cert), p.Name, root.NotAfter.Format(time.DateOnly)), true
}
