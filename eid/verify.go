package eid

import (
	"crypto/x509"
	"fmt"
	"time"
)

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// Roots are trusted roots besides the pinned Belgian eID roots, e.g.
	// a test card's root or the roots a site configured. The card's own
	// root (503B) is trusted when it is pinned (PinnedRoots), so a real
	// card verifies without Roots.
	Roots *x509.CertPool
	// Time is when the certificates must be valid; zero means now.
	Time time.Time
}

// Verify checks that the card data in f is what the National Register
// signed, the way the eID Viewer does (beid-card.md §5.7):
//
//   - identity signature: 4032 signs the whole 4031 with the key of the
//     RRN certificate 503C;
//   - address signature: 4034 signs 4033 without its trailing zero bytes
//     followed by 4032 exactly as stored, padding included;
//   - photo hash: tag 11 is the SHA-1/256/384 (by length) of 4035;
//   - basic key hash (applet 1.8): tag 1A is the SHA-384 of 4040;
//   - the RRN certificate names and is signed by the root on the card
//     (503B);
//   - the RRN, authentication and signature certificates chain to a
//     trusted root: opts.Roots or the card root when it is pinned (the
//     card's CA certificate 503A is offered as an intermediate);
//   - the card root is itself trusted (pinned, in opts.Roots, or a
//     re-issue of a trusted root).
//
// A chain that is sound up to a card root nobody trusts is reported
// StatusUntrusted, not passed: the data is consistent, but nothing says
// the card is genuine.
//
// Files that were not read (nil) make their checks "not checked"; a file
// that was read is always checked, so a present but unsigned file fails.
// Verify never touches a card.
func Verify(f *Files, opts VerifyOptions) Report {
	if f == nil {
		f = &Files{}
	}
	v := newVerifier(f, opts)
	var r Report
	r.add(CheckIdentitySignature, v.identitySignature())
	r.add(CheckAddressSignature, v.addressSignature())
	r.add(CheckPhotoHash, v.photoHash())
	r.add(CheckBasicKeyHash, v.basicKeyHash())
	r.add(CheckRRNIssuer, v.rrnIssuer())
	r.add(CheckRRNChain, v.rrnChain())
	r.add(CheckAuthChain, v.userChain(v.auth))
	r.add(CheckSignChain, v.userChain(v.sign))
	r.add(CheckCardRoot, v.cardRoot())
	return r
}

type verifier struct {
	f                         *Files
	opts                      VerifyOptions
	rrn, root, ca, auth, sign loadedCert
	// anchors are opts.Roots plus the card root when it is pinned; nil
	// when there is neither.
	anchors *x509.CertPool
	tags    map[byte][]byte // identity fields; nil when 4031 is absent or bad
	// tagsErr says why tags is nil when 4031 was read.
	tagsErr error
}

// loadedCert is a certificate file: not read, unparseable, or parsed.
type loadedCert struct {
	id   FileID
	read bool
	cert *x509.Certificate
	err  error
}

func loadCert(id FileID, data []byte) loadedCert {
	c := loadedCert{id: id, read: data != nil}
	if c.read {
		c.cert, c.err = ParseCertificateFile(data)
	}
	return c
}

// unusable returns the outcome for a certificate that cannot be used, or
// false when it can. A file that was not read is "not checked" unless
// fail is set, then it is a failure.
func (c loadedCert) unusable(fail bool) (checkResult, bool) {
	switch {
	case !c.read && fail:
		return resFailed("%s (%X) was not read", c.id.Name, c.id.Path[len(c.id.Path)-2:]), true
	case !c.read:
		return resNotChecked("%s (%X) was not read", c.id.Name, c.id.Path[len(c.id.Path)-2:]), true
	case c.err != nil:
		return resFailed("%s: %v", c.id.Name, c.err), true
	}
	return checkResult{}, false
}

func newVerifier(f *Files, opts VerifyOptions) *verifier {
	v := &verifier{
		f:    f,
		opts: opts,
		rrn:  loadCert(FileRRNCert, f.RRNCert),
		root: loadCert(FileRootCert, f.RootCert),
		ca:   loadCert(FileCACert, f.CACert),
		auth: loadCert(FileAuthCert, f.AuthCert),
		sign: loadCert(FileSignCert, f.SignCert),
	}
	v.anchors = trustAnchors(opts.Roots, v.root.cert)
	if f.Identity != nil {
		fields, err := ParseTLV(f.Identity)
		if err != nil {
			v.tagsErr = fmt.Errorf("identity file does not parse: %w", err)
		} else {
			v.tags = map[byte][]byte{}
			for _, fl := range fields {
				v.tags[fl.Tag] = fl.Value
			}
		}
	}
	return v
}

// identityTag returns a tag of 4031, or an outcome explaining why the
// identity file cannot supply it.
func (v *verifier) identityTag(tag byte, what string) ([]byte, bool, *checkResult) {
	switch {
	case v.f.Identity == nil:
		r := resFailed("identity file (4031), which holds the %s, was not read", what)
		return nil, false, &r
	case v.tagsErr != nil:
		r := resFailed("%v", v.tagsErr)
		return nil, false, &r
	}
	val, has := v.tags[tag]
	return val, has, nil
}
