package virtualcard

import (
	"encoding/pem"
	"fmt"
)

// TrustPEM is what a relying party trusts for this card, as PEM: its
// test root and the CA that issued its user certificates (files 503B and
// 503A), e.g. for the portal's --trust.
func (c *Content) TrustPEM() ([]byte, error) {
	var out []byte
	for _, path := range []string{pathRootCert, pathCACert} {
		der, err := CertDER(c.Files[path])
		if err != nil {
			return nil, fmt.Errorf("virtual card file %s: %w", path, err)
		}
		if der == nil {
			return nil, fmt.Errorf("virtual card file %s: no certificate", path)
		}
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	return out, nil
}
