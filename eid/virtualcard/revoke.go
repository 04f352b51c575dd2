package virtualcard

import (
	"crypto/x509"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Certificate files revoked with a card: both user keys.
var userCertFiles = map[string]string{CertAuth: "3F00DF005038", CertSign: "3F00DF005039"}

// RevokeCard revokes the user certificates of the card in profileDir in
// the test PKI in pkiDir (profileDir/pki when ""), as a municipality does
// for a card reported stolen. It returns what it revoked; a card already
// revoked is not an error, and its certificates are not added twice.
func RevokeCard(profileDir, pkiDir, reason string, now time.Time) ([]string, error) {
	code, ok := RevocationReasons[reason]
	if !ok {
		return nil, fmt.Errorf("revocation reason %q: want one of %s", reason, strings.Join(reasonNames(), ", "))
	}
	if pkiDir == "" {
		pkiDir = filepath.Join(profileDir, "pki")
	}
	c, err := Load(profileDir)
	if err != nil {
		return nil, err
	}
	p, err := LoadPKI(pkiDir, FamilyFor(c.Applet))
	if err != nil {
		return nil, fmt.Errorf("the card's test PKI: %w", err)
	}
	st, err := LoadRevocation(pkiDir)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, kind := range []string{CertAuth, CertSign} {
		cert, err := userCert(c, kind)
		if err != nil || cert == nil {
			continue // a kids card has none; another error was reported when the card was made
		}
		ca := p.CAName(cert)
		if ca == "" {
			return nil, fmt.Errorf("the %s certificate was not issued by the test PKI in %s", kind, pkiDir)
		}
		st.Revoke(p.Family, ca, cert, code, now)
		done = append(done, fmt.Sprintf("%s certificate %s", strings.ToLower(kind), cert.SerialNumber.Text(16)))
	}
	if len(done) == 0 {
		return nil, fmt.Errorf("the card in %s has no user certificates to revoke", profileDir)
	}
	return done, SaveRevocation(pkiDir, st)
}

func userCert(c *Content, kind string) (*x509.Certificate, error) {
	file := c.Files[userCertFiles[kind]]
	if len(file) == 0 {
		return nil, nil
	}
	der, err := CertDER(file)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func reasonNames() []string {
	var out []string
	for n := range RevocationReasons {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
