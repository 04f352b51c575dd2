package eid

import (
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// LogOff discards every PIN right the card holds (LOG OFF, 80 E6 00 00),
// so that the next use of a key asks the PIN again whoever verified it:
// a PIN typed for one operation (or by another program) must not serve
// the next.
func (c *Card) LogOff() error {
	return c.t.Transaction(func() error {
		resp, err := c.transmitApplet(apdu.Command{CLA: 0x80, INS: 0xE6, Le: apdu.NoLe})
		if err != nil {
			return err
		}
		if err := resp.Err(); err != nil {
			return fmt.Errorf("eid: LOG OFF: %w", err)
		}
		return nil
	})
}
