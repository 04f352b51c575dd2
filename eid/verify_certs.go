package eid

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
)

func (v *verifier) rrnIssuer() checkResult {
	if r, bad := v.rrn.unusable(false); bad {
		return r
	}
	if r, bad := v.root.unusable(false); bad {
		return r
	}
	rrn, root := v.rrn.cert, v.root.cert
	if !bytes.Equal(rrn.RawIssuer, root.RawSubject) {
		return resFailed("RRN certificate issuer %q is not the card root %q", rrn.Issuer, root.Subject)
	}
	if err := rrn.CheckSignatureFrom(root); err != nil {
		return resFailed("RRN certificate %q is not signed by the card root %q: %v", rrn.Subject, root.Subject, err)
	}
	return resOK("RRN certificate %q is signed by the card root %q", rrn.Subject, root.Subject)
}

// chainOptions builds paths to roots through the card's CA certificate.
// EKUs are not constrained: the card's certificates carry none that a
// path check could use.
func (v *verifier) chainOptions(roots *x509.CertPool) x509.VerifyOptions {
	o := x509.VerifyOptions{
		Roots:       roots,
		CurrentTime: v.opts.Time,
		KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}
	if v.ca.cert != nil {
		o.Intermediates = x509.NewCertPool()
		o.Intermediates.AddCert(v.ca.cert)
	}
	return o
}

func (v *verifier) rrnChain() checkResult {
	if r, bad := v.rrn.unusable(false); bad {
		return r
	}
	return v.chain("RRN certificate", v.rrn.cert)
}

// userChain checks the authentication or signature certificate, which
// kids cards and citizens who declined one do not have.
func (v *verifier) userChain(c loadedCert) checkResult {
	if errors.Is(c.err, ErrNoCertificate) {
		return checkResult{StatusNotApplicable, fmt.Sprintf("the card has no %s (%X is empty)", c.id.Name, c.id.Path[len(c.id.Path)-2:])}
	}
	if r, bad := c.unusable(false); bad {
		return r
	}
	if r, bad := v.ca.unusable(false); bad {
		return r
	}
	return v.chain(c.id.Name, c.cert)
}

// chain checks that cert chains to a trust anchor. Failing that, it tells
// a chain that is sound up to a card root nobody trusts (untrusted) from
// a broken one (failed).
func (v *verifier) chain(what string, cert *x509.Certificate) checkResult {
	if v.anchors == nil && v.root.cert == nil {
		return resNotChecked("no trusted roots given and no usable card root (503B)")
	}
	var err error
	if v.anchors != nil {
		chains, verr := cert.Verify(v.chainOptions(v.anchors))
		if verr == nil {
			return resOK("%s %q chains to %s", what, certName(cert), describeAnchor(chains[0][len(chains[0])-1]))
		}
		err = verr
		if r, ok := v.anchorChain(what, cert); ok {
			return r
		}
	}
	if v.root.cert != nil {
		_, rerr := cert.Verify(v.chainOptions(certPool(v.root.cert)))
		if rerr == nil {
			return resUntrusted("%s %q chains to the card root %q, which is %s", what, certName(cert), certName(v.root.cert), notTrusted)
		}
		if err == nil {
			err = rerr
		}
	}
	return resFailed("%s %q does not chain to a trusted root: %v", what, certName(cert), err)
}

// notTrusted completes the detail of every StatusUntrusted check.
const notTrusted = "neither a pinned Belgian eID root nor a given trusted root"

// describeAnchor names the root a chain ended at.
func describeAnchor(c *x509.Certificate) string {
	if p, ok := PinnedRootOf(c); ok {
		return "the pinned " + p.Name
	}
	return fmt.Sprintf("the trusted root %q", certName(c))
}

// certName is c's common name, or its whole subject when it has none:
// the full subject of a card certificate is a line of OIDs.
func certName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return c.Subject.String()
}

// rrnTrustedRoot returns the trust anchor the RRN certificate chains to.
func (v *verifier) rrnTrustedRoot() (*x509.Certificate, error) {
	if v.rrn.cert == nil || v.anchors == nil {
		return nil, errors.New("no RRN certificate or no trusted roots")
	}
	chains, err := v.rrn.cert.Verify(v.chainOptions(v.anchors))
	if err != nil {
		return nil, err
	}
	return chains[0][len(chains[0])-1], nil
}

func certPool(certs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}
