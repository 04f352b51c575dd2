package demo

import (
	"fmt"
	"os"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// writeTrust writes the card's root and citizen CA certificates to path,
// the CAs the portal trusts.
func writeTrust(path string, c *virtualcard.Content) error {
	b, err := c.TrustPEM()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("trust file: %w", err)
	}
	return nil
}
