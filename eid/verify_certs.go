package eid

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
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

func (v *verifier) verifyOptions() x509.VerifyOptions {
	o := x509.VerifyOptions{
		Roots:       v.opts.Roots,
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
	if v.opts.Roots == nil {
		return resNotChecked("no trusted roots given (VerifyOptions.Roots)")
	}
	if r, bad := v.rrn.unusable(false); bad {
		return r
	}
	top, err := v.rrnTrustedRoot()
	if err != nil {
		return resFailed("RRN certificate %q does not chain to a trusted root: %v", v.rrn.cert.Subject, err)
	}
	return resOK("RRN certificate %q chains to the trusted root %q", v.rrn.cert.Subject, top.Subject)
}

// rrnTrustedRoot returns the trusted root the RRN certificate chains to.
func (v *verifier) rrnTrustedRoot() (*x509.Certificate, error) {
	if v.rrn.cert == nil || v.opts.Roots == nil {
		return nil, errors.New("no RRN certificate or no roots")
	}
	chains, err := v.rrn.cert.Verify(v.verifyOptions())
	if err != nil {
		return nil, err
	}
	return chains[0][len(chains[0])-1], nil
}

// cardRoot checks that 503B is a trusted root. Like the eID Viewer it also
// accepts a card root with the same name and key as the trusted root the
// RRN certificate chains to: a root re-issued with a new validity (as
// Root CA4 was) is the same authority, but crypto/x509 will not chain a
// certificate to a same-name same-key twin.
func (v *verifier) cardRoot() checkResult {
	if v.opts.Roots == nil {
		return resNotChecked("no trusted roots given (VerifyOptions.Roots)")
	}
	if r, bad := v.root.unusable(false); bad {
		return r
	}
	root := v.root.cert
	_, err := root.Verify(v.verifyOptions())
	if err == nil {
		return resOK("card root %q is a trusted root", root.Subject)
	}
	if top, terr := v.rrnTrustedRoot(); terr == nil && sameAuthority(root, top) {
		return resOK("card root %q has the name and key of the trusted root the RRN certificate chains to (a re-issued root certificate)", root.Subject)
	}
	return resFailed("card root %q is not a trusted root: %v", root.Subject, err)
}

func sameAuthority(a, b *x509.Certificate) bool {
	k, ok := a.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	return ok && bytes.Equal(a.RawSubject, b.RawSubject) && k.Equal(b.PublicKey)
}
