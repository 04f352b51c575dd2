package eid

import (
	"crypto/x509"
	"errors"
	"fmt"
)

// ErrNoCertificate is returned for a certificate file that is empty or all
// zeros: the card has no such certificate (kids cards, a citizen who chose
// no signature certificate).
var ErrNoCertificate = errors.New("no certificate in file (all zeros)")

// ParseCertificateFile parses a certificate file (5038..503C) as read from
// the card: the DER certificate followed by zero padding. The real length
// comes from the DER header; whatever follows it is ignored, not required
// to be zero, because a re-keyed card may keep bytes of a longer old
// certificate behind a shorter new one.
func ParseCertificateFile(b []byte) (*x509.Certificate, error) {
	if isAllZero(b) {
		return nil, ErrNoCertificate
	}
	n, err := derObjectLength(b)
	if err != nil {
		return nil, fmt.Errorf("certificate file: %w", err)
	}
	cert, err := x509.ParseCertificate(b[:n])
	if err != nil {
		return nil, fmt.Errorf("certificate file: %w", err)
	}
	return cert, nil
}

// derObjectLength returns the total length (header included) of the DER
// SEQUENCE at the start of b, in any definite length form.
func derObjectLength(b []byte) (int, error) {
	if len(b) < 2 {
		return 0, fmt.Errorf("%d bytes are too short for a DER header", len(b))
	}
	if b[0] != 0x30 {
		return 0, fmt.Errorf("starts with %02X, not a DER SEQUENCE (30)", b[0])
	}
	first := int(b[1])
	if first < 0x80 {
		return derFits(b, 2+first)
	}
	k := first & 0x7F
	if k == 0 || k > 3 {
		return 0, fmt.Errorf("DER length form %02X is not supported (indefinite or over 3 bytes)", b[1])
	}
	if len(b) < 2+k {
		return 0, fmt.Errorf("DER length of %d bytes is truncated", k)
	}
	n := 0
	for _, c := range b[2 : 2+k] {
		n = n<<8 | int(c)
	}
	return derFits(b, 2+k+n)
}

func derFits(b []byte, n int) (int, error) {
	if n > len(b) {
		return 0, fmt.Errorf("DER header announces %d bytes but the file has only %d", n, len(b))
	}
	return n, nil
}

func isAllZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// Certificates are the certificates a card carries. A nil field is a
// certificate that the card does not have or that was not read.
type Certificates struct {
	Auth *x509.Certificate // 5038, absent on some kids cards
	Sign *x509.Certificate // 5039, absent when the citizen has none
	CA   *x509.Certificate // 503A, Citizen or Foreigner CA
	Root *x509.Certificate // 503B, Belgium Root CA
	RRN  *x509.Certificate // 503C, signs the identity and address files
}

// ParseCertificates parses the certificate files of f. A file that was not
// read (nil) is skipped. An all-zero authentication or signature file is
// normal and leaves the field nil; an all-zero CA, root or RRN file is an
// error, as every card has those. All errors are joined, and the
// certificates that did parse are returned alongside them.
func ParseCertificates(f *Files) (*Certificates, error) {
	c := &Certificates{}
	slots := []struct {
		id       FileID
		data     []byte
		dst      **x509.Certificate
		optional bool
	}{
		{FileAuthCert, f.AuthCert, &c.Auth, true},
		{FileSignCert, f.SignCert, &c.Sign, true},
		{FileCACert, f.CACert, &c.CA, false},
		{FileRootCert, f.RootCert, &c.Root, false},
		{FileRRNCert, f.RRNCert, &c.RRN, false},
	}
	var errs []error
	for _, s := range slots {
		if s.data == nil {
			continue
		}
		cert, err := ParseCertificateFile(s.data)
		if err != nil && !(s.optional && errors.Is(err, ErrNoCertificate)) {
			errs = append(errs, fmt.Errorf("%s: %w", s.id.Name, err))
		}
		*s.dst = cert
	}
	return c, errors.Join(errs...)
}
