//go:build linux

package main

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/verify"
)

// citizen is one client: a virtual card (its authentication key and the
// files the agent would read) and, once made, an account with its codes.
type citizen struct {
	n        int
	key      crypto.Signer
	auth     *x509.Certificate
	files    verify.IdentityData
	username string
	email    string
	codes    map[int]string
}

const password = "a benchmark password, long enough"

// makeCitizens issues n applet 1.8 cards from one test PKI in dir and
// writes its root and citizen CA to dir/trust.pem for the portal's --trust.
func makeCitizens(dir string, n int) ([]*citizen, string, error) {
	var out []*citizen
	for i := range n {
		birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 97*i)
		content, _, err := virtualcard.NewContent(virtualcard.Options{Surname: "Bench", GivenNames: fmt.Sprint("Client ", i),
			BirthDate: birth.Format(time.DateOnly), Sex: "F"}, time.Now(), filepath.Join(dir, "pki"))
		if err != nil {
			return nil, "", fmt.Errorf("virtual card %d: %w", i, err)
		}
		c, err := newCitizen(i, content)
		if err != nil {
			return nil, "", err
		}
		out = append(out, c)
		if i == 0 { // one PKI: the first card's CAs are everybody's
			b, err := content.TrustPEM()
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, "trust.pem"), b, 0o644)
			}
			if err != nil {
				return nil, "", fmt.Errorf("trust file: %w", err)
			}
		}
	}
	return out, filepath.Join(dir, "trust.pem"), nil
}

func newCitizen(i int, content *virtualcard.Content) (*citizen, error) {
	get := func(id eid.FileID) []byte { return content.Files[fmt.Sprintf("%X", id.Path)] }
	auth, err := eid.ParseCertificateFile(get(eid.FileAuthCert))
	if err != nil {
		return nil, fmt.Errorf("virtual card %d: authentication certificate: %w", i, err)
	}
	return &citizen{n: i, key: content.AuthKey, auth: auth,
		username: fmt.Sprintf("bench%03d", i), email: fmt.Sprintf("bench%03d@example.be", i),
		files: verify.IdentityData{Identity: get(eid.FileIdentity), IdentitySignature: get(eid.FileIdentitySig),
			Address: get(eid.FileAddress), AddressSignature: get(eid.FileAddressSig), RRNCertificate: get(eid.FileRRNCert)}}, nil
}
