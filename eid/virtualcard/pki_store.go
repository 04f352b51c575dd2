package virtualcard

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// A PKI directory holds one sub-directory per key family ("rsa", "ec"),
// each with NAME.pem (certificate) and NAME-key.pem (PKCS#8, mode 0600)
// for NAME in pkiNames. Several profiles can share one directory, and so
// one test root.
var pkiNames = []string{"root", "citizen-ca", "foreigner-ca", "rrn"}

func (p *PKI) issuers() []**Issuer {
	return []**Issuer{&p.Root, &p.CitizenCA, &p.ForeignerCA, &p.RRN}
}

// SavePKI writes p under dir/<family>/.
func SavePKI(dir string, p *PKI) error {
	sub := filepath.Join(dir, p.Family)
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	for i, iss := range p.issuers() {
		base := filepath.Join(sub, pkiNames[i])
		if err := writeCertPEM(base+".pem", (*iss).Cert); err != nil {
			return err
		}
		if err := writeKeyPEM(base+"-key.pem", (*iss).Key); err != nil {
			return err
		}
	}
	return nil
}

// LoadPKI reads the family's hierarchy from dir, with the URL of its
// revocation service.
func LoadPKI(dir, family string) (*PKI, error) {
	st, err := LoadRevocation(dir)
	if err != nil {
		return nil, err
	}
	p := &PKI{Family: family, URL: st.URL}
	sub := filepath.Join(dir, family)
	for i, iss := range p.issuers() {
		base := filepath.Join(sub, pkiNames[i])
		cert, err := readCertPEM(base + ".pem")
		if err != nil {
			return nil, err
		}
		key, err := readKeyPEM(base + "-key.pem")
		if err != nil {
			return nil, err
		}
		if !publicEqual(cert.PublicKey, key.Public()) {
			return nil, fmt.Errorf("pki: %s-key.pem does not match %s.pem in %s", pkiNames[i], pkiNames[i], sub)
		}
		*iss = &Issuer{Cert: cert, Key: key}
	}
	return p, nil
}

// LoadOrCreatePKI loads the family's PKI from dir, generating and saving
// a new one when dir holds none for that family. A new PKI directory
// gets a revocation service at url (DefaultRevocationURL when ""); one
// that has a service keeps it, so every family in it names the same.
func LoadOrCreatePKI(dir, family, url string, now time.Time) (*PKI, error) {
	_, err := os.Stat(filepath.Join(dir, family, pkiNames[0]+".pem"))
	if err == nil {
		return LoadPKI(dir, family)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("pki: %w", err)
	}
	if url, err = serviceURL(dir, url); err != nil {
		return nil, err
	}
	p, err := NewServedPKI(family, url, now)
	if err != nil {
		return nil, err
	}
	if err := SavePKI(dir, p); err != nil {
		return nil, err
	}
	return p, nil
}

func publicEqual(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

func writeCertPEM(path string, c *x509.Certificate) error {
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write certificate: %w", err)
	}
	return nil
}

func writeKeyPEM(path string, k crypto.Signer) error {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return fmt.Errorf("encode key %s: %w", filepath.Base(path), err)
	}
	b := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("write key: %w", err)
	}
	return nil
}

func readPEM(path, typ string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != typ {
		return nil, fmt.Errorf("%s: no %s PEM block", path, typ)
	}
	return blk.Bytes, nil
}

func readCertPEM(path string) (*x509.Certificate, error) {
	der, err := readPEM(path, "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func readKeyPEM(path string) (crypto.Signer, error) {
	der, err := readPEM(path, "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s: key type %T cannot sign", path, k)
	}
	return s, nil
}

// serviceURL is the revocation service of the PKI directory dir,
// recording want (or the default) when it has none yet.
func serviceURL(dir, want string) (string, error) {
	st, err := LoadRevocation(dir)
	if err != nil || st.URL != "" {
		return st.URL, err
	}
	st.URL = want
	if st.URL == "" {
		st.URL = DefaultRevocationURL
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("pki: %w", err)
	}
	return st.URL, SaveRevocation(dir, st)
}
