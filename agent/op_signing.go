package agent

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"unicode/utf8"

	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid"
)

// signHashes are the hash functions the card signs on both applets, by
// their Web eID names. SHA-1 (1.7 only) is left out: too weak to offer.
var signHashes = map[string]crypto.Hash{"SHA-256": crypto.SHA256, "SHA-384": crypto.SHA384, "SHA-512": crypto.SHA512}

var signHashOrder = []string{"SHA-256", "SHA-384", "SHA-512"}

// otherHashes are Web eID names the card cannot sign, to say so plainly.
var otherHashes = map[string]bool{"SHA-224": true, "SHA3-224": true, "SHA3-256": true, "SHA3-384": true, "SHA3-512": true}

// signAlgorithms lists what the card's signature key can do, as Web eID
// does: RSA PKCS#1 v1.5 on 1.7, ECDSA (raw r‖s, no padding) on 1.8.
func signAlgorithms(cert *x509.Certificate) []SignatureAlgorithm {
	crypt, pad := "RSA", "PKCS1.5"
	if _, ok := cert.PublicKey.(*ecdsa.PublicKey); ok {
		crypt, pad = "ECC", "NONE"
	}
	out := make([]SignatureAlgorithm, 0, len(signHashOrder))
	for _, h := range signHashOrder {
		out = append(out, SignatureAlgorithm{CryptoAlgorithm: crypt, HashFunction: h, PaddingScheme: pad})
	}
	return out
}

// signingCard opens the card and returns it with its non-repudiation
// certificate.
func (cl *call) signingCard() (*eid.Card, *x509.Certificate, error) {
	card, err := cl.open()
	if err != nil {
		return nil, nil, err
	}
	cert, err := cl.signingCert(card)
	return card, cert, err
}

// signingCert is the open card's non-repudiation certificate, read once
// per card.
func (cl *call) signingCert(card *eid.Card) (*x509.Certificate, error) {
	s, err := cl.s.certs.Signer(card, eid.KeySign, nil)
	if err != nil {
		return nil, certError(err, "signature")
	}
	return s.Certificate(), nil
}

// getSigningCertificate returns the signing certificate once the citizen
// agrees: it names them, so it is not handed out silently.
func (cl *call) getSigningCertificate(any) (any, error) {
	card, cert, err := cl.signingCard()
	if err != nil {
		return nil, err
	}
	st, err := card.PINStatus()
	if err != nil {
		return nil, err
	}
	if err := cl.dialog(ui.PurposeGetSigningCertificate, holderFromCert(cert)).consent(st.TriesLeft); err != nil {
		return nil, err
	}
	return SigningCertificateResult{Certificate: base64.StdEncoding.EncodeToString(cert.Raw),
		SupportedSignatureAlgorithms: signAlgorithms(cert)}, nil
}

// signRequest is sign's parameters, decoded.
type signRequest struct {
	hash        []byte
	hashName    string
	hashFunc    crypto.Hash
	cert        []byte
	description string
}

func parseSign(raw json.RawMessage) (any, *Error) {
	var p SignParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	h, ok := signHashes[p.HashFunction]
	switch {
	case !ok && otherHashes[p.HashFunction]:
		return nil, invalid("the card cannot sign %s hashes; use SHA-256, SHA-384 or SHA-512", p.HashFunction)
	case !ok:
		return nil, invalid("hashFunction %q: want SHA-256, SHA-384 or SHA-512", shorten(p.HashFunction))
	}
	r := signRequest{hashName: p.HashFunction, hashFunc: h}
	var err error
	if r.hash, err = base64.StdEncoding.DecodeString(p.Hash); err != nil {
		return nil, invalid("hash is not standard base64")
	}
	if len(r.hash) != h.Size() {
		return nil, invalid("hash is %d bytes long; a %s hash is %d", len(r.hash), p.HashFunction, h.Size())
	}
	if r.cert, err = base64.StdEncoding.DecodeString(p.Certificate); err != nil || len(r.cert) == 0 {
		return nil, invalid("certificate must be the base64 DER signing certificate from getSigningCertificate")
	}
	if utf8.RuneCountInString(p.Description) > MaxDescription || !utf8.ValidString(p.Description) {
		return nil, invalid("description: at most %d characters of text", MaxDescription)
	}
	r.description = p.Description
	return r, nil
}

// sign signs the hash with the non-repudiation key after the PIN, which
// the card wants before every such signature; the PIN dialog is the
// consent. The certificate must be the card's, byte for byte, so a page
// cannot have a different card sign what it prepared for another. A
// mismatch reaches the page only after a dialog (gate.go): a page must
// not test certificates against the card unseen.
func (cl *call) sign(params any) (any, error) {
	p := params.(signRequest)
	card, cert, err := cl.signingCard()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(cert.Raw, p.cert) {
		return nil, newError(CodeCertificateMismatch)
	}
	d := cl.dialog(ui.PurposeSign, holderFromCert(cert))
	d.base.Document, d.base.Fingerprint = p.description, ui.Fingerprint(p.hash)
	var sig []byte
	err = d.withPIN(func(prompt eid.PINPrompt) (err error) {
		sig, err = card.Sign(eid.KeySign, p.hashFunc, p.hash, prompt)
		return err
	})
	cl.logOff(card)
	if err != nil {
		return nil, err
	}
	alg := signAlgorithms(cert)[0]
	alg.HashFunction = p.hashName
	return SignResult{Signature: base64.StdEncoding.EncodeToString(sig), SignatureAlgorithm: alg}, nil
}
