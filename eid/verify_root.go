package eid

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"
)

// trustAnchors is roots plus the card root when it is pinned; nil when
// there is neither. roots itself is never changed.
func trustAnchors(roots *x509.CertPool, cardRoot *x509.Certificate) *x509.CertPool {
	if _, pinned := PinnedRootOf(cardRoot); !pinned {
		return roots
	}
	if roots == nil {
		return certPool(cardRoot)
	}
	roots = roots.Clone()
	roots.AddCert(cardRoot)
	return roots
}

// cardRoot checks that 503B is a trusted root: pinned, one of opts.Roots,
// or, like the eID Viewer accepts, a root with the same name and key as
// the trusted root the RRN certificate chains to: a root re-issued with a
// new validity (as Root CA4 was) is the same authority, but crypto/x509
// will not chain a certificate to a same-name same-key twin.
func (v *verifier) cardRoot() checkResult {
	if r, bad := v.root.unusable(false); bad {
		return r
	}
	root := v.root.cert
	if p, ok := PinnedRootOf(root); ok {
		if _, _, expired := v.expiredPinnedRoot(); expired && root.CheckSignatureFrom(root) == nil {
			return resOK("card root %q is the pinned %s (SHA-256 %s); its certificate ended on %s, which does not count for a trust anchor",
				certName(root), p.Name, p.SHA256, root.NotAfter.Format("2006-01-02"))
		}
		if _, err := root.Verify(v.chainOptions(v.anchors)); err != nil {
			return resFailed("card root is the pinned %s but is not valid: %v", p.Name, err)
		}
		return resOK("card root %q is the pinned %s (SHA-256 %s)", certName(root), p.Name, p.SHA256)
	}
	var err error
	if v.opts.Roots != nil {
		if _, err = root.Verify(v.chainOptions(v.opts.Roots)); err == nil {
			return resOK("card root %q is a trusted root", root.Subject)
		}
		if top, terr := v.rrnTrustedRoot(); terr == nil && sameAuthority(root, top) {
			return resOK("card root %q has the name and key of the trusted root the RRN certificate chains to (a re-issued root certificate)", root.Subject)
		}
	}
	if serr := v.soundRoot(root); serr != nil {
		return resFailed("card root %q is not a trusted root: %v", certName(root), serr)
	}
	return resUntrusted("card root %q (SHA-256 %s) is %s", certName(root), Fingerprint(root), notTrusted)
}

// soundRoot says why root could not be anyone's trust anchor: not a
// self-signed CA certificate, or not valid at the verification time.
func (v *verifier) soundRoot(root *x509.Certificate) error {
	if err := root.CheckSignatureFrom(root); err != nil {
		return fmt.Errorf("not a self-signed CA certificate: %w", err)
	}
	_, err := root.Verify(v.chainOptions(certPool(root)))
	return err
}

func sameAuthority(a, b *x509.Certificate) bool {
	k, ok := a.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	return ok && bytes.Equal(a.RawSubject, b.RawSubject) && k.Equal(b.PublicKey)
}
