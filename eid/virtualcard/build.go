package virtualcard

import (
	"crypto"
	"crypto/sha1"
	"crypto/x509"
	"fmt"
)

// CardSpec is everything a card's files are built from.
type CardSpec struct {
	Applet   byte
	Chip     [16]byte // GET CARD DATA serial = TokenInfo serial = tag 02
	Identity *Identity
	Photo    []byte            // JPEG, file 4035
	BasicKey crypto.Signer     // key 81; its public key is 4040 on 1.8
	AuthCert *x509.Certificate // nil when not issued
	SignCert *x509.Certificate // nil when not issued
	CA       *x509.Certificate // citizen or foreigner CA
	Root     *x509.Certificate
	RRN      *Issuer // signs 4032 and 4034
}

// File path keys of Content.Files.
const (
	pathDIR         = "3F002F00"
	pathODF         = "3F00DF005031"
	pathTokenInfo   = "3F00DF005032"
	pathAODF        = "3F00DF005034"
	pathPrKDF       = "3F00DF005035"
	pathCDF         = "3F00DF005037"
	pathAuthCert    = "3F00DF005038"
	pathSignCert    = "3F00DF005039"
	pathCACert      = "3F00DF00503A"
	pathRootCert    = "3F00DF00503B"
	pathRRNCert     = "3F00DF00503C"
	pathIdentity    = "3F00DF014031"
	pathIdentitySig = "3F00DF014032"
	pathAddress     = "3F00DF014033"
	pathAddressSig  = "3F00DF014034"
	pathPhoto       = "3F00DF014035"
	pathCARoleHash  = "3F00DF014038"
	pathPrefs       = "3F00DF014039"
	pathBasicKey    = "3F00DF014040"
)

// BuildFiles builds every file of the card, keyed like Content.Files.
func BuildFiles(s *CardSpec) (map[string][]byte, error) {
	if s.Applet != Applet17 && s.Applet != Applet18 {
		return nil, fmt.Errorf("build: applet %#02x: want 0x17 or 0x18", s.Applet)
	}
	f := map[string][]byte{
		pathDIR:       efDIR(),
		pathODF:       efODF(),
		pathTokenInfo: efTokenInfo(s.Applet, s.Chip),
		pathAODF:      efAODF(),
		pathPrKDF:     efPrKDF(s.Applet),
		pathCDF:       efCDF(s.Applet, s.AuthCert != nil, s.SignCert != nil),
		pathAuthCert:  certFile(s.Applet, rawCert(s.AuthCert)),
		pathSignCert:  certFile(s.Applet, rawCert(s.SignCert)),
		pathCACert:    certFile(s.Applet, s.CA.Raw),
		pathRootCert:  certFile(s.Applet, s.Root.Raw),
		pathRRNCert:   certFile(s.Applet, s.RRN.Cert.Raw),
		pathPhoto:     s.Photo,
	}
	var basic []byte
	if s.Applet == Applet18 {
		var err error
		if basic, err = x509.MarshalPKIXPublicKey(s.BasicKey.Public()); err != nil {
			return nil, fmt.Errorf("build: basic public key: %w", err)
		}
		f[pathBasicKey] = basic
	} else {
		f[pathCARoleHash] = caRoleHash(s.Root)
		f[pathPrefs] = prefsFile(s.Identity.Language)
	}
	if err := buildSignedFiles(f, s, basic); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return f, nil
}

// buildSignedFiles adds identity, address and their RRN signatures.
func buildSignedFiles(f map[string][]byte, s *CardSpec, basic []byte) error {
	id, err := identityFile(s, basic)
	if err != nil {
		return err
	}
	addr, err := addressFile(s.Identity)
	if err != nil {
		return err
	}
	idSig, err := rrnSign(s.RRN.Key, id)
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	addrSig, err := rrnSign(s.RRN.Key, addressSigned(addr, idSig))
	if err != nil {
		return fmt.Errorf("address: %w", err)
	}
	f[pathIdentity], f[pathIdentitySig] = id, idSig
	f[pathAddress], f[pathAddressSig] = addr, addrSig
	return nil
}

// caRoleHash fills 1.7's 4038, the SHA-1 of the "CA role" public key
// PuK#7. That key belongs to the issuing authority and is never readable;
// the test root's public key stands in for it.
func caRoleHash(root *x509.Certificate) []byte {
	h := sha1.Sum(root.RawSubjectPublicKeyInfo)
	return h[:]
}

func rawCert(c *x509.Certificate) []byte {
	if c == nil {
		return nil
	}
	return c.Raw
}
