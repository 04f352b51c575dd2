package eid

import (
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// Command templates for a keypad reader (beid-card.md §7.2, §7.3): the
// PIN blocks hold the control nibble 2 with length 0 and F padding; the
// reader writes the length nibble and the digits.
func pinPadVerifyTemplate() apdu.Command {
	return apdu.Command{INS: 0x20, P2: pinRef, Data: emptyPINBlocks(1), Le: apdu.NoLe}
}

func pinPadModifyTemplate() apdu.Command {
	return apdu.Command{INS: 0x24, P2: pinRef, Data: emptyPINBlocks(2), Le: apdu.NoLe}
}

func emptyPINBlocks(n int) []byte {
	b := make([]byte, 0, n*pinBlockLen)
	for range n {
		b = append(b, pinControl, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
	}
	return b
}

// pinPad returns the transport's keypad when it can verify (or, with
// modify set, change) the PIN, and nil otherwise.
func (c *Card) pinPad(modify bool) PINPad {
	pp, ok := c.t.(PINPad)
	if !ok {
		return nil
	}
	v, m := pp.PINPadFeatures()
	if (modify && !m) || (!modify && !v) {
		return nil
	}
	return pp
}

// verifyOnPINPad has the citizen type the PIN on the reader for VERIFY.
func verifyOnPINPad(pp PINPad) error {
	resp, err := pp.VerifyOnPINPad(BelgianPINPadFormat, pinPadVerifyTemplate())
	if err != nil {
		return fmt.Errorf("eid: VERIFY on the reader's keypad: %w", err)
	}
	return pinPadResult("VERIFY on the reader's keypad", resp.SW)
}

// VerifyPINWith verifies the PIN, typed on the reader's keypad when the
// reader has one (prompt is then only told to point the citizen there)
// and asked from prompt otherwise. The status is read first (or taken
// from one this Card read a moment ago), so a blocked PIN gives
// ErrPINBlocked without a VERIFY and the prompt learns the tries left.
// The prompt runs outside any card transaction: holding the card while a
// person types would lock out other applications, and Windows ends a
// transaction that idles for a few seconds.
func (c *Card) VerifyPINWith(prompt PINPrompt) error {
	st, err := c.pinStateForPrompt()
	if err != nil {
		return err
	}
	req := PINRequest{Purpose: PurposeVerify, TriesLeft: st.TriesLeft}
	if pp := c.pinPad(false); pp != nil {
		if err := announcePINPad(prompt, req); err != nil {
			return err
		}
		return c.t.Transaction(func() error { return verifyOnPINPad(pp) })
	}
	pin, err := ask(prompt, req)
	if err != nil {
		return err
	}
	defer wipe(pin)
	block := pinBlock(pin)
	defer wipe(block[:])
	return c.t.Transaction(func() error { return c.verifyBlock(block[:]) })
}

// ChangePINWith changes the PIN, on the reader's keypad when it can
// (PurposeChange) and otherwise with the current and the new PIN from
// prompt (PurposeChangeOld, then PurposeChangeNew).
func (c *Card) ChangePINWith(prompt PINPrompt) error {
	st, err := c.pinStateForPrompt()
	if err != nil {
		return err
	}
	if pp := c.pinPad(true); pp != nil {
		if err := announcePINPad(prompt, PINRequest{Purpose: PurposeChange, TriesLeft: st.TriesLeft}); err != nil {
			return err
		}
		return c.t.Transaction(func() error {
			resp, err := pp.ModifyOnPINPad(BelgianPINPadFormat, pinPadModifyTemplate())
			if err != nil {
				return fmt.Errorf("eid: PIN change on the reader's keypad: %w", err)
			}
			return pinPadResult("PIN change on the reader's keypad", resp.SW)
		})
	}
	old, err := ask(prompt, PINRequest{Purpose: PurposeChangeOld, TriesLeft: st.TriesLeft})
	if err != nil {
		return fmt.Errorf("current PIN: %w", err)
	}
	defer wipe(old)
	new, err := ask(prompt, PINRequest{Purpose: PurposeChangeNew, TriesLeft: st.TriesLeft})
	if err != nil {
		return fmt.Errorf("new PIN: %w", err)
	}
	defer wipe(new)
	return c.t.Transaction(func() error { return c.changePIN(old, new) })
}

// pinStateForPrompt is the PIN state to prompt with: the one this Card
// learned less than pinStateReuse ago, else a fresh status query. A
// blocked PIN gives ErrPINBlocked, so no prompt and no VERIFY follow.
func (c *Card) pinStateForPrompt() (PINState, error) {
	if st, ok := c.session().recentPIN(); ok {
		if st.Blocked {
			return st, ErrPINBlocked
		}
		return st, nil
	}
	return c.checkedPINStatus()
}

// checkedPINStatus is PINStatus that fails with ErrPINBlocked for a
// blocked PIN: a status query that cannot be skipped.
func (c *Card) checkedPINStatus() (PINState, error) {
	var st PINState
	err := c.t.Transaction(func() error {
		var err error
		st, err = c.usablePIN()
		return err
	})
	return st, err
}
