package demo

import (
	"encoding/pem"
	"fmt"
	"os"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// writeTrust writes the card's root and citizen CA certificates to path,
// the CAs the portal trusts.
func writeTrust(path string, c *virtualcard.Content) error {
	var out []byte
	for _, id := range []eid.FileID{eid.FileRootCert, eid.FileCACert} {
		der, err := virtualcard.CertDER(c.Files[fileKey(id)])
		if err != nil {
			return fmt.Errorf("virtual card %s: %w", id.Name, err)
		}
		if der == nil {
			return fmt.Errorf("virtual card: no %s", id.Name)
		}
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("trust file: %w", err)
	}
	return nil
}
