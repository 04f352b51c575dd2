package virtualcard

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"
)

// Key families of a test PKI. Applet 1.7 cards get the RSA family (every
// key RSA-2048, sha256WithRSA, like Root CA4); applet 1.8 cards get the
// EC family (every key P-384, ecdsa-with-SHA384, like Root CA6). Keeping
// the CA keys in the card's own family means one test root per family
// and no mixed chains.
const (
	FamilyRSA = "rsa"
	FamilyEC  = "ec"
)

// FamilyFor is the PKI key family of an applet version.
func FamilyFor(applet byte) string {
	if applet == Applet18 {
		return FamilyEC
	}
	return FamilyRSA
}

// Issuer is a certificate with its private key.
type Issuer struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// PKI is the project's test hierarchy: root → citizen CA / foreigner CA →
// user certificates, and root → RRN certificate (signs identity data).
// Every name carries "eidbridge TEST" so nobody mistakes it for the real
// Belgian PKI.
type PKI struct {
	Family string
	// URL is the base URL of the PKI's revocation service, which its
	// certificates name (pki_revocation.go); "" names none.
	URL         string
	Root        *Issuer
	CitizenCA   *Issuer
	ForeignerCA *Issuer
	RRN         *Issuer
}

// Lifetimes of the test hierarchy; user certificates follow the card.
const (
	rootYears = 30
	caYears   = 20
	rrnYears  = 15
)

// Policy OIDs (beid-card.md §6, Root CA4 arc 2.16.56.12.1.1).
var (
	oidPolicyCitizenSign = []int{2, 16, 56, 12, 1, 1, 2, 1}
	oidPolicyCitizenAuth = []int{2, 16, 56, 12, 1, 1, 2, 2}
	oidPolicyRRN         = []int{2, 16, 56, 12, 1, 1, 4}
	// Foreigner leaf arcs are by analogy with the citizen ones (.7 is the
	// Foreigner CA); the real sub-arcs are not published.
	oidPolicyForeignerSign = []int{2, 16, 56, 12, 1, 1, 7, 1}
	oidPolicyForeignerAuth = []int{2, 16, 56, 12, 1, 1, 7, 2}
)

// NewPKI generates a fresh test hierarchy of the given family, valid from
// a day before now. Keys come from crypto/rand: Go ignores any other
// source for key generation, so a PKI is generated once and saved.
func NewPKI(family string, now time.Time) (*PKI, error) {
	return NewServedPKI(family, "", now)
}

// NewServedPKI is NewPKI with certificates that name the revocation
// service at url.
func NewServedPKI(family, url string, now time.Time) (*PKI, error) {
	start := now.Add(-24 * time.Hour).Truncate(time.Second)
	suffix := map[string]string{FamilyRSA: "CA4", FamilyEC: "CA6"}[family]
	if suffix == "" {
		return nil, fmt.Errorf("pki: unknown key family %q (want %q or %q)", family, FamilyRSA, FamilyEC)
	}
	p := &PKI{Family: family, URL: url}
	var err error
	rootName := testName("eidbridge TEST Belgium Root " + suffix)
	if p.Root, err = p.issueCA(nil, rootName, start, rootYears, 1); err != nil {
		return nil, fmt.Errorf("pki: root: %w", err)
	}
	caSerial := fmt.Sprintf("%d01", start.Year())
	citizen := testName("eidbridge TEST Citizen CA")
	citizen.SerialNumber = caSerial
	if p.CitizenCA, err = p.issueCA(p.Root, citizen, start, caYears, 0); err != nil {
		return nil, fmt.Errorf("pki: citizen CA: %w", err)
	}
	foreigner := testName("eidbridge TEST Foreigner CA")
	foreigner.SerialNumber = caSerial
	if p.ForeignerCA, err = p.issueCA(p.Root, foreigner, start, caYears, 0); err != nil {
		return nil, fmt.Errorf("pki: foreigner CA: %w", err)
	}
	if p.RRN, err = p.issueRRN(start); err != nil {
		return nil, fmt.Errorf("pki: RRN: %w", err)
	}
	return p, nil
}

func testName(cn string) pkix.Name {
	return pkix.Name{Country: []string{"BE"}, Organization: []string{"eidbridge TEST"}, CommonName: cn}
}

// NewKey generates a key of the family: RSA-2048 or ECDSA P-384.
func NewKey(family string) (crypto.Signer, error) {
	if family == FamilyEC {
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	}
	return rsa.GenerateKey(rand.Reader, 2048)
}

func (p *PKI) issueCA(parent *Issuer, name pkix.Name, start time.Time, years, pathLen int) (*Issuer, error) {
	key, err := NewKey(p.Family)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		Subject:               name,
		NotBefore:             start,
		NotAfter:              start.AddDate(years, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            pathLen,
		MaxPathLenZero:        pathLen == 0,
	}
	if parent != nil {
		p.revocationURLs(tmpl, "root")
	}
	return sign(tmpl, parent, key)
}

func (p *PKI) issueRRN(start time.Time) (*Issuer, error) {
	key, err := NewKey(p.Family)
	if err != nil {
		return nil, err
	}
	name := testName("eidbridge TEST RRN")
	name.Organization = []string{"eidbridge TEST RRN"}
	tmpl := &x509.Certificate{
		Subject:               name,
		NotBefore:             start,
		NotAfter:              start.AddDate(rrnYears, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		BasicConstraintsValid: true,
	}
	setPolicy(tmpl, oidPolicyRRN)
	p.revocationURLs(tmpl, "root")
	return sign(tmpl, p.Root, key)
}

// sign issues tmpl for key's public half under parent (self-signed when
// parent is nil) and returns the parsed certificate with key.
func sign(tmpl *x509.Certificate, parent *Issuer, key crypto.Signer) (*Issuer, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl.SerialNumber = serial
	issuerCert, issuerKey := tmpl, key
	if parent != nil {
		issuerCert, issuerKey = parent.Cert, parent.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuerCert, key.Public(), issuerKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Issuer{Cert: cert, Key: key}, nil
}

func randomSerial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	return n.Add(n, big.NewInt(1)), nil // serials must be positive
}

func setPolicy(tmpl *x509.Certificate, arcs []int) {
	oid, err := x509.OIDFromInts(toUint64(arcs))
	if err != nil {
		panic(err) // constant OIDs above are valid
	}
	tmpl.Policies = []x509.OID{oid}
}

func toUint64(a []int) []uint64 {
	out := make([]uint64, len(a))
	for i, v := range a {
		out[i] = uint64(v)
	}
	return out
}
