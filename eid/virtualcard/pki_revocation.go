package virtualcard

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/internal/atomicfile"
)

// The test PKI's revocation service: revocation.json in the PKI directory
// holds the base URL that its certificates name for OCSP (URL/ocsp) and
// CRLs (URL/crl/FAMILY-CA.crl), and the certificates revoked so far.
// `eidbridge vcard revoke` adds to it and `eidbridge vcard pki serve`
// answers from it, so a website's revocation check can be tested end to
// end with a card that was "reported stolen".
const revocationFile = "revocation.json"

// DefaultRevocationURL is where `vcard pki serve` listens by default, and
// so the URL a new test PKI writes into its certificates.
const DefaultRevocationURL = "http://127.0.0.1:35980"

// RevocationState is revocation.json.
type RevocationState struct {
	URL     string    `json:"url"`
	Revoked []Revoked `json:"revoked"`
}

// Revoked is one revoked certificate.
type Revoked struct {
	Serial string    `json:"serial"` // hexadecimal
	Family string    `json:"family"` // FamilyRSA or FamilyEC
	Issuer string    `json:"issuer"` // "root", "citizen-ca" or "foreigner-ca"
	Time   time.Time `json:"time"`
	Reason int       `json:"reason"` // RFC 5280 CRLReason
}

// Reasons `vcard revoke` takes (RFC 5280 CRLReason values).
var RevocationReasons = map[string]int{
	"unspecified":            0,
	"key-compromise":         1,
	"affiliation-changed":    3,
	"superseded":             4,
	"cessation-of-operation": 5,
}

// LoadRevocation reads dir's revocation state; a PKI without one (made
// before the service existed) has no URL and nothing revoked.
func LoadRevocation(dir string) (RevocationState, error) {
	var s RevocationState
	b, err := os.ReadFile(filepath.Join(dir, revocationFile))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("pki: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("pki: %s: %w", filepath.Join(dir, revocationFile), err)
	}
	return s, nil
}

// SaveRevocation writes the state atomically: a responder may be reading.
func SaveRevocation(dir string, s RevocationState) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, revocationFile), append(b, '\n'), 0o644, 0o755); err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	return nil
}

// Find tells whether the certificate with serial, issued by the named CA
// of family, is revoked.
func (s RevocationState) Find(family, issuer string, serial *big.Int) (Revoked, bool) {
	hex := serial.Text(16)
	for _, r := range s.Revoked {
		if r.Family == family && r.Issuer == issuer && strings.EqualFold(r.Serial, hex) {
			return r, true
		}
	}
	return Revoked{}, false
}

// Revoke adds cert, issued by the PKI's CA named issuer, once.
func (s *RevocationState) Revoke(family, issuer string, cert *x509.Certificate, reason int, now time.Time) bool {
	if _, done := s.Find(family, issuer, cert.SerialNumber); done {
		return false
	}
	s.Revoked = append(s.Revoked, Revoked{Serial: cert.SerialNumber.Text(16), Family: family, Issuer: issuer,
		Time: now.UTC().Truncate(time.Second), Reason: reason})
	return true
}

// CAName is the PKI file name of the CA that issued cert ("root",
// "citizen-ca", "foreigner-ca"), or "" when none of p's did.
func (p *PKI) CAName(cert *x509.Certificate) string {
	for i, iss := range p.issuers() {
		if pkiNames[i] != "rrn" && cert.CheckSignatureFrom((*iss).Cert) == nil {
			return pkiNames[i]
		}
	}
	return ""
}

// CA returns the PKI's CA by file name.
func (p *PKI) CA(name string) *Issuer {
	for i, iss := range p.issuers() {
		if pkiNames[i] == name && name != "rrn" {
			return *iss
		}
	}
	return nil
}

// revocationURLs names the service in a certificate tmpl issued by the
// CA named issuer: OCSP in the Authority Information Access, the CA's
// CRL in the CRL Distribution Points, as the Belgian certificates do.
func (p *PKI) revocationURLs(tmpl *x509.Certificate, issuer string) {
	if p.URL == "" {
		return
	}
	tmpl.OCSPServer = []string{p.URL + "/ocsp"}
	tmpl.CRLDistributionPoints = []string{p.CRLURL(issuer)}
}

// CRLURL is where the CRL of the CA named issuer is served.
func (p *PKI) CRLURL(issuer string) string {
	return p.URL + "/crl/" + p.Family + "-" + issuer + ".crl"
}
