package eid

import (
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// fileBelpicDF is the PKCS#15 DF that eid-mw selects before MSE on 1.7+.
var fileBelpicDF = FileID{"BELPIC directory (DF00)", []byte{0x3F, 0x00, 0xDF, 0x00}}

// setSEInDF00 is MSE:SET with 3F00/DF00 current, as eid-mw says applet
// 1.7+ needs (docs/card-notes.md §5), at the lowest cost:
//
//   - the session knows another DF is current (the identity files were
//     read, or the applet was re-selected): SELECT DF00, then MSE;
//   - DF00 is known current (a certificate read, an earlier signature), or
//     nothing is known (a fresh Card): MSE at once. Knowledge from an
//     earlier transaction may be stale, since other applications share
//     the card; and the Windows minidriver and commons-eid send MSE with
//     no SELECT at all, so cards evidently take it outside DF00. Should a
//     card refuse it with an answer that can mean "not in this DF"
//     (wrongDF), DF00 is selected and MSE sent once more.
//
// Nothing PIN-related has happened yet, so the retry costs nothing but
// two APDUs, and VERIFY still comes after the MSE that succeeded.
func (c *Card) setSEInDF00(role KeyRole, alg byte) error {
	if c.session().currentDF() != dfOther {
		sw, err := c.setSE(role, alg)
		if err == nil || !wrongDF(sw) {
			return err
		}
	}
	if err := c.selectFile(fileBelpicDF); err != nil {
		return &SignError{role, "SELECT DF00", err}
	}
	_, err := c.setSE(role, alg)
	return err
}

// wrongDF: MSE answers that a card could give when the key is looked up
// in another DF (key or file not found, conditions not met, bad
// reference) or another applet is selected. A transport error is none.
func wrongDF(sw apdu.Status) bool {
	switch sw {
	case apdu.ReferenceNotFound, apdu.FileNotFound, apdu.ConditionsNotMet, apdu.IncorrectP1P2InData:
		return true
	}
	return otherAppletSelected(sw)
}

// setSE is MSE:SET (00 22 41 B6 05 04 80 alg 84 key). It returns the
// card's status word (0 after a transport error) with the error.
func (c *Card) setSE(role KeyRole, alg byte) (apdu.Status, error) {
	data := []byte{0x04, 0x80, alg, 0x84, byte(role)}
	resp, err := c.t.Transmit(apdu.Command{INS: 0x22, P1: 0x41, P2: 0xB6, Data: data, Le: apdu.NoLe})
	if err == nil {
		err = resp.Err()
	}
	if err != nil {
		return resp.SW, &SignError{role, fmt.Sprintf("MSE:SET (algorithm %02X)", alg), err}
	}
	return apdu.OK, nil
}
