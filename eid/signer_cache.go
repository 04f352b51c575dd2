package eid

import (
	"crypto/x509"
	"sync"
)

// CertCache keeps the citizen certificates of the cards this process has
// met, by chip serial (GET CARD DATA, read by Open) and key role, so that
// a signer for a card seen before reads no certificate: a SELECT and one
// READ BINARY per 256 bytes saved, 5 APDUs on the 1.7 test card and 4 on
// the 1.8 one. Keep one for the life of the process; the zero value is
// ready, and it is safe for concurrent use.
//
// A certificate never changes on an issued card, so entries never expire.
// The cache is not trusted blindly either: CardSigner.Sign verifies every
// signature against the certificate, and a mismatch (another card
// claiming the same serial, a re-personalised test card) drops the entry.
type CertCache struct {
	mu    sync.Mutex
	certs map[certKey]*x509.Certificate
}

type certKey struct {
	serial [16]byte
	role   KeyRole
}

// Signer is Card.Signer, with the certificate from the cache when this
// card's was read before; otherwise it is read and kept. A nil cache
// reads every time.
func (cc *CertCache) Signer(c *Card, role KeyRole, prompt PINPrompt) (*CardSigner, error) {
	if cc == nil {
		return c.Signer(role, prompt)
	}
	if cert := cc.get(c.Data.Serial, role); cert != nil && c.checkKeyType(cert) == nil {
		return &CardSigner{card: c, role: role, prompt: prompt, cert: cert, cache: cc}, nil
	}
	s, err := c.Signer(role, prompt)
	if err != nil {
		return nil, err
	}
	s.cache = cc
	cc.put(c.Data.Serial, role, s.cert)
	return s, nil
}

// Forget drops the certificates of the card with this chip serial.
func (cc *CertCache) Forget(serial [16]byte) {
	for _, r := range []KeyRole{KeyAuth, KeySign} {
		cc.forget(serial, r)
	}
}

func (cc *CertCache) get(serial [16]byte, role KeyRole) *x509.Certificate {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.certs[certKey{serial, role}]
}

func (cc *CertCache) put(serial [16]byte, role KeyRole, cert *x509.Certificate) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.certs == nil {
		cc.certs = make(map[certKey]*x509.Certificate)
	}
	cc.certs[certKey{serial, role}] = cert
}

// forget is safe on a nil cache, for signers without one.
func (cc *CertCache) forget(serial [16]byte, role KeyRole) {
	if cc == nil {
		return
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	delete(cc.certs, certKey{serial, role})
}
