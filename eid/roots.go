package eid

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// PinnedRoot is a Belgian eID root CA the project trusts by the SHA-256
// fingerprint of its DER certificate. Every card carries its root (file
// 503B), so a reader can trust a card without a configured root store:
// the card's root is trusted when its fingerprint is pinned here.
type PinnedRoot struct {
	Name   string // subject CN, and which issue
	SHA256 string // upper-case hex of the SHA-256 of the DER certificate
}

// pinnedRoots are the self-signed roots on cards still in use, from the
// government's certificate repository (fingerprints checked against the
// eID middleware's copies by TestPinnedRootsMatchTheirCertificates).
// Belgium Root CA2 is left out: it expired on 2021-12-15, so nothing
// chains to it any more and pinning it could only mislead.
var pinnedRoots = []PinnedRoot{
	{"Belgium Root CA3", "A8D14E945E3E5156BCAE5E39737CF6A1B1F51028BBBF982F50CE5F4C05568B4D"},
	{"Belgium Root CA4", "C3FBF37259AF0954EEEA4282DD1C7226A54E7150F7C29A2C495BA34DBFE09CA0"},
	// Same name and key as CA4, valid until 2032: both are on cards.
	{"Belgium Root CA4 (re-issued)", "702DD5C1A093CF0A9D71FADD9BF9A7C5857D89FB73B716E867228B3C2BEB968F"},
	{"Belgium Root CA6", "9C872BC979A7C09A58D4A274C199E5CB16CFA9B9618D98BC9A9988E984B8495C"},
}

// PinnedRoots returns the pinned roots.
func PinnedRoots() []PinnedRoot { return slices.Clone(pinnedRoots) }

// Fingerprint is the upper-case hex SHA-256 of c's DER encoding.
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// PinnedRootOf returns the pin c matches, if any.
func PinnedRootOf(c *x509.Certificate) (PinnedRoot, bool) {
	if c == nil {
		return PinnedRoot{}, false
	}
	fp := Fingerprint(c)
	for _, p := range pinnedRoots {
		if p.SHA256 == fp {
			return p, true
		}
	}
	return PinnedRoot{}, false
}

// PinnedRootPool is a pool of the given root certificates, refusing any
// that is not pinned: how a site loads the Belgium Root CAs it downloaded
// without trusting the download.
func PinnedRootPool(roots ...*x509.Certificate) (*x509.CertPool, error) {
	if len(roots) == 0 {
		return nil, fmt.Errorf("no root certificates given")
	}
	pool := x509.NewCertPool()
	for _, c := range roots {
		if c == nil {
			return nil, fmt.Errorf("nil root certificate")
		}
		if _, ok := PinnedRootOf(c); !ok {
			return nil, fmt.Errorf("%q (SHA-256 %s) is not a pinned Belgian eID root", c.Subject, Fingerprint(c))
		}
		pool.AddCert(c)
	}
	return pool, nil
}
