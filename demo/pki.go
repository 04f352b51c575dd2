package demo

import (
	"fmt"
	"net"
	"path/filepath"

	"github.com/eidbridge/eidbridge/eid/virtualcard/pkiserve"
	"github.com/eidbridge/eidbridge/verify"
)

// listenPKIService opens the demo card's revocation service (OCSP and
// CRLs) on the address its certificates name, or on a free loopback port
// when that one is taken: the portal asks it by URL either way.
func (d *setup) listenPKIService() error {
	dir := filepath.Join(d.cardDir, "pki")
	ln, err := pkiserve.Listen(dir, "")
	if err != nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return fmt.Errorf("the test PKI's revocation service: %w", err)
	}
	d.closers = append(d.closers, func() { ln.Close() })
	d.pkiLn, d.pkiURL, d.pkiDir = ln, "http://"+ln.Addr().String(), dir
	return nil
}

// revocation is the portal's check of every token and identity read:
// OCSP at the demo's service, whatever URL an older demo card names.
func (d *setup) revocation() verify.RevocationChecker {
	return verify.NewOCSPChecker(verify.OCSPConfig{Responder: d.pkiURL + "/ocsp"})
}

// pkiRevokeHint is how to try a revoked card in the demo.
func (d *setup) pkiRevokeHint() string {
	return fmt.Sprintf("eidbridge vcard revoke %s   (then request a token: the portal refuses the card)", d.cardDir)
}
