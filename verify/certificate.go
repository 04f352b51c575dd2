package verify

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/eid"
)

// parseCertificate decodes unverifiedCertificate: standard padded base64
// of one DER certificate.
func parseCertificate(b64 string) (*x509.Certificate, error) {
	der, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("%w: unverifiedCertificate is not standard base64: %v", ErrCertificateParse, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertificateParse, err)
	}
	return cert, nil
}

// checkPurpose applies the Web eID rules for an authentication
// certificate: KeyUsage has digitalSignature, and an EKU, when present,
// allows clientAuth. The card's non-repudiation certificate fails the
// first rule, so it cannot log anyone in.
func checkPurpose(c *x509.Certificate) error {
	if c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return fmt.Errorf("%w (key usage: %s)", ErrCertificateKeyUsage, keyUsageNames(c.KeyUsage))
	}
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return nil
	}
	var names []string
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageClientAuth {
			return nil
		}
		names = append(names, u.String())
	}
	for _, oid := range c.UnknownExtKeyUsage {
		names = append(names, oid.String())
	}
	return fmt.Errorf("%w (extended key usage: %s)", ErrCertificateEKU, strings.Join(names, ", "))
}

// keyUsageBits are the names RFC 5280 gives the KeyUsage bits, in bit
// order (Go calls nonRepudiation contentCommitment, its X.509 name).
var keyUsageBits = [...]string{"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
	"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"}

// keyUsageNames lists the usages set in u, "none" when none is.
func keyUsageNames(u x509.KeyUsage) string {
	var names []string
	v := uint64(u)
	for bit := 0; v>>bit != 0; bit++ {
		switch {
		case v&(1<<bit) == 0:
		case bit < len(keyUsageBits):
			names = append(names, keyUsageBits[bit])
		default:
			names = append(names, fmt.Sprintf("bit %d", bit))
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// checkValidity reports an expired or not yet valid certificate with the
// dates, before chain building would report it less clearly.
func checkValidity(c *x509.Certificate, now time.Time) error {
	switch {
	case now.Before(c.NotBefore):
		return fmt.Errorf("%w: valid from %s, now is %s", ErrCertificateNotYetValid, c.NotBefore.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case now.After(c.NotAfter):
		return fmt.Errorf("%w: valid until %s, now is %s", ErrCertificateExpired, c.NotAfter.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// checkChain builds a path to the trusted roots. EKUs are not constrained
// along the path (x509.ExtKeyUsageAny): the leaf's EKU is checked by
// checkPurpose, and PKIX as used by the reference validators does not
// constrain CA EKUs either.
func checkChain(c *x509.Certificate, roots, intermediates *x509.CertPool, now time.Time) ([]*x509.Certificate, error) {
	chains, err := c.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: intermediates,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %q issued by %q: %v", ErrUntrustedChain, c.Subject, c.Issuer, err)
	}
	return chains[0], nil
}

// X.520 attribute types of the Belgian authentication certificate subject.
var (
	oidSurname   = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidGivenName = asn1.ObjectIdentifier{2, 5, 4, 42}
)

// citizenOf reads the person out of the certificate subject: the
// serialNumber is the national number (check digits verified), SN the
// surname and GN the given names. Only the number is required: it is what
// identifies the person, and some people have a single name.
func citizenOf(c *x509.Certificate) (*Citizen, error) {
	nn, err := eid.ParseNationalNumber(c.Subject.SerialNumber)
	if err != nil {
		return nil, fmt.Errorf("%w: serialNumber: %v", ErrCertificateSubject, err)
	}
	cz := &Citizen{NationalNumber: nn, CommonName: c.Subject.CommonName, Certificate: c}
	for _, a := range c.Subject.Names {
		s, ok := a.Value.(string)
		switch {
		case !ok:
		case a.Type.Equal(oidSurname):
			cz.Surname = s
		case a.Type.Equal(oidGivenName):
			cz.GivenNames = s
		}
	}
	return cz, nil
}
