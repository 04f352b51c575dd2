package eid

import (
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// PINState is what the card says about the cardholder PIN.
type PINState struct {
	// TriesLeft before the PIN blocks; 0 when blocked. A verified PIN has
	// all 3, since a correct PIN resets the counter.
	TriesLeft int
	// Verified: the card holds a PIN right from earlier in this card
	// session (until a reset, a wrong PIN or LOG OFF).
	Verified bool
	Blocked  bool
}

// PINStatus reads the PIN state without spending a try.
//
// It sends the empty VERIFY (00 20 00 01), not GET CARD DATA P2=01: the
// empty VERIFY answers on both 1.7 and 1.8 (byte 28 of the long GET CARD
// DATA exists on 1.8 only), costs one 4-byte APDU, and alone tells
// whether the PIN is already verified, which the signing code needs. It
// is safe because Open refuses the pre-1.7 applets on which an empty
// VERIFY counts as a wrong PIN (beid-card.md §3.4).
func (c *Card) PINStatus() (PINState, error) {
	var st PINState
	err := c.t.Transaction(func() error {
		var err error
		st, err = c.pinStatus()
		return err
	})
	return st, err
}

func (c *Card) pinStatus() (PINState, error) {
	resp, err := c.transmitApplet(apdu.Command{INS: 0x20, P2: pinRef, Le: apdu.NoLe})
	if err != nil {
		return PINState{}, fmt.Errorf("eid: PIN status: %w", err)
	}
	if n, ok := resp.SW.TriesLeft(); ok {
		return PINState{TriesLeft: n, Blocked: n == 0}, nil
	}
	switch resp.SW {
	case apdu.OK:
		return PINState{TriesLeft: pinMaxTries, Verified: true}, nil
	case apdu.AuthMethodBlocked:
		return PINState{Blocked: true}, nil
	}
	return PINState{}, fmt.Errorf("eid: PIN status: %w", resp.SW)
}

// usablePIN reads the PIN state and refuses a blocked PIN, so that no
// VERIFY is ever sent to a blocked card. VerifyPIN and ChangePIN ask it
// in the same transaction as their VERIFY, the strongest guarantee; the
// prompting paths use pinStateForPrompt.
func (c *Card) usablePIN() (PINState, error) {
	st, err := c.pinStatus()
	if err == nil && st.Blocked {
		err = ErrPINBlocked
	}
	return st, err
}

// VerifyPIN verifies pin (ASCII digits) typed on the computer.
//
// Contract: pin is zeroed before VerifyPIN returns, on every path, and
// never logged; pass a copy if you need it afterwards. A PIN that is not
// 4 to 12 digits gives ErrPINFormat before any APDU is sent. A blocked
// PIN gives ErrPINBlocked without a VERIFY; a wrong one *WrongPINError.
func (c *Card) VerifyPIN(pin []byte) error {
	defer wipe(pin)
	if err := checkPINFormat(pin); err != nil {
		return err
	}
	block := pinBlock(pin)
	defer wipe(block[:])
	return c.t.Transaction(func() error {
		if _, err := c.usablePIN(); err != nil {
			return err
		}
		return c.verifyBlock(block[:])
	})
}

// verifyBlock sends VERIFY with a PIN block and reads the verdict.
func (c *Card) verifyBlock(block []byte) error {
	resp, err := c.sendVerify(block)
	if err != nil {
		return fmt.Errorf("eid: VERIFY: %w", err)
	}
	return pinResult("VERIFY", resp.SW)
}

func (c *Card) sendVerify(block []byte) (apdu.Response, error) {
	return c.t.Transmit(apdu.Command{INS: 0x20, P2: pinRef, Data: block, Le: apdu.NoLe})
}

// ChangePIN replaces the PIN old with new (ASCII digits); on success the
// card also counts the PIN as verified. Both slices are zeroed before it
// returns, as with VerifyPIN, and both formats are checked first.
func (c *Card) ChangePIN(old, new []byte) error {
	defer wipe(old, new)
	if err := checkPINFormat(old); err != nil {
		return fmt.Errorf("current PIN: %w", err)
	}
	if err := checkPINFormat(new); err != nil {
		return fmt.Errorf("new PIN: %w", err)
	}
	return c.t.Transaction(func() error {
		if _, err := c.usablePIN(); err != nil {
			return err
		}
		return c.changePIN(old, new)
	})
}

// changePIN sends CHANGE REFERENCE DATA with both PIN blocks.
func (c *Card) changePIN(old, new []byte) error {
	ob, nb := pinBlock(old), pinBlock(new)
	data := append(ob[:], nb[:]...)
	defer wipe(ob[:], nb[:], data)
	resp, err := c.t.Transmit(apdu.Command{INS: 0x24, P2: pinRef, Data: data, Le: apdu.NoLe})
	if err != nil {
		return fmt.Errorf("eid: CHANGE REFERENCE DATA: %w", err)
	}
	return pinResult("CHANGE REFERENCE DATA", resp.SW)
}
