package eid

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
)

// layout says how to find the end of a file: the card's SELECT returns no
// size, so a file of unknown size costs one extra APDU (a 6Cxx answer or
// a 6B00 probe). Knowing the layout avoids it.
type layout struct {
	der     bool // one DER object, then padding: stop at the object's end
	exact   int  // the file's size, when known; 0 when not
	firstLe int  // the first READ BINARY length for a DER object
}

// p384KeyInfoLen is the size of a P-384 SubjectPublicKeyInfo, the 1.8
// basic key: asking exactly that reads it in one APDU, and the DER
// header corrects the guess on a card with another curve.
const p384KeyInfoLen = 120

// layoutOf returns f's layout. rrn is the card's RRN certificate when it
// was read already: an RSA key fixes the size of the signature files,
// which hold the bare signature (beid-card.md §2.1, §5.7). With an EC key
// the identity signature file keeps its zero padding, which the address
// signature covers, so it is read to its end; the address signature is
// needed only up to the end of its DER encoding.
func layoutOf(f FileID, rrn *x509.Certificate) layout {
	switch {
	case isCertFile(f):
		return layout{der: true, firstLe: 256}
	case bytes.Equal(f.Path, FileBasicKey.Path):
		return layout{der: true, firstLe: p384KeyInfoLen}
	case rrn == nil || !isSignatureFile(f):
		return layout{}
	}
	if k, ok := rrn.PublicKey.(*rsa.PublicKey); ok {
		return layout{exact: k.Size()}
	}
	if bytes.Equal(f.Path, FileAddressSig.Path) {
		return layout{der: true, firstLe: 256}
	}
	return layout{}
}

func isSignatureFile(f FileID) bool {
	return bytes.Equal(f.Path, FileIdentitySig.Path) || bytes.Equal(f.Path, FileAddressSig.Path)
}
