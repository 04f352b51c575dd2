package virtualcard

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"io"
	"strings"
	"time"
)

// Holder is whom a user certificate names.
type Holder struct {
	Surname        string
	GivenNames     string // as on the card (tag 08); CN uses the first one
	NationalNumber string
	Foreigner      bool
}

// Certificate kinds on the card.
const (
	CertAuth = "Authentication"
	CertSign = "Signature"
)

var (
	oidCountry      = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidCommonName   = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidSurname      = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidGivenName    = asn1.ObjectIdentifier{2, 5, 4, 42}
	oidSerialNumber = asn1.ObjectIdentifier{2, 5, 4, 5}
	oidQCStatements = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 3}
	oidQcCompliance = asn1.ObjectIdentifier{0, 4, 0, 1862, 1, 1}
)

// UserSubject is the Belgian leaf subject, in the card's attribute order
// C, CN, SN, GN, serialNumber (beid-card.md §6). pkix.Name would reorder
// the attributes, so the RDN sequence is written by hand.
func UserSubject(h Holder, kind string) ([]byte, error) {
	first, _, _ := strings.Cut(h.GivenNames, " ")
	cn := strings.TrimSpace(first + " " + h.Surname)
	rdns := pkix.RDNSequence{
		{{Type: oidCountry, Value: "BE"}},
		{{Type: oidCommonName, Value: cn + " (" + kind + ")"}},
		{{Type: oidSurname, Value: h.Surname}},
		{{Type: oidGivenName, Value: h.GivenNames}},
		{{Type: oidSerialNumber, Value: h.NationalNumber}},
	}
	return asn1.Marshal(rdns)
}

// IssueUser issues the authentication or signature certificate for pub.
// The CA is the foreigner CA for foreigners. Validity runs from notBefore
// to notAfter, cut at the CA's own end. Key usage is critical and single
// (digitalSignature or nonRepudiation); no extended key usage is set,
// like the real certificates.
func (p *PKI) IssueUser(kind string, h Holder, pub crypto.PublicKey, notBefore, notAfter time.Time) (*x509.Certificate, error) {
	ca, caName := p.CitizenCA, "citizen-ca"
	if h.Foreigner {
		ca, caName = p.ForeignerCA, "foreigner-ca"
	}
	subject, err := UserSubject(h, kind)
	if err != nil {
		return nil, fmt.Errorf("pki: %s subject: %w", kind, err)
	}
	if notAfter.After(ca.Cert.NotAfter) {
		notAfter = ca.Cert.NotAfter
	}
	tmpl := &x509.Certificate{
		RawSubject: subject,
		NotBefore:  notBefore,
		NotAfter:   notAfter,
	}
	switch kind {
	case CertAuth:
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		setPolicy(tmpl, pick(h.Foreigner, oidPolicyForeignerAuth, oidPolicyCitizenAuth))
	case CertSign:
		tmpl.KeyUsage = x509.KeyUsageContentCommitment
		setPolicy(tmpl, pick(h.Foreigner, oidPolicyForeignerSign, oidPolicyCitizenSign))
		qc, err := qcCompliance()
		if err != nil {
			return nil, err
		}
		tmpl.ExtraExtensions = []pkix.Extension{qc}
	default:
		return nil, fmt.Errorf("pki: unknown certificate kind %q", kind)
	}
	p.revocationURLs(tmpl, caName)
	iss, err := sign(tmpl, ca, publicOnly{pub})
	if err != nil {
		return nil, fmt.Errorf("pki: issue %s certificate: %w", kind, err)
	}
	return iss.Cert, nil
}

// publicOnly lets sign() take a bare public key: only Public is called.
type publicOnly struct{ pub crypto.PublicKey }

func (k publicOnly) Public() crypto.PublicKey { return k.pub }

func (k publicOnly) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, fmt.Errorf("pki: public key only")
}

// qcCompliance marks the signature certificate as qualified, as the real
// ones are (qcStatements with QcCompliance).
func qcCompliance() (pkix.Extension, error) {
	type statement struct{ ID asn1.ObjectIdentifier }
	v, err := asn1.Marshal([]statement{{oidQcCompliance}})
	if err != nil {
		return pkix.Extension{}, err
	}
	return pkix.Extension{Id: oidQCStatements, Value: v}, nil
}

func pick(cond bool, a, b []int) []int {
	if cond {
		return a
	}
	return b
}
