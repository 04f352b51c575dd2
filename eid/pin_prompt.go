package eid

import "fmt"

// PINPurpose says why the PIN is asked.
type PINPurpose int

const (
	// PurposeVerify: to verify the PIN (and so unlock the authentication key).
	PurposeVerify PINPurpose = iota + 1
	// PurposeSign: to sign with PINRequest.Role's key.
	PurposeSign
	// PurposeChangeOld and PurposeChangeNew: the current PIN, then the new
	// one, for a PIN change typed on the computer. A prompt that can ask
	// twice should confirm the new PIN itself.
	PurposeChangeOld
	PurposeChangeNew
	// PurposeChange: a PIN change on the reader's keypad, which asks the
	// current PIN and the new one twice by itself (PINPad is true).
	PurposeChange
)

// PINRequest tells a PINPrompt what to ask for.
type PINRequest struct {
	Purpose PINPurpose
	// Role is the key a PurposeSign request unlocks; 0 otherwise.
	Role KeyRole
	// TriesLeft before the card blocks the PIN, read from the card just
	// before asking.
	TriesLeft int
	// PINPad: the citizen types the PIN on the reader's keypad. The prompt
	// should then only tell them to look at the reader, return at once,
	// and return no PIN (whatever it returns is wiped and ignored).
	PINPad bool
}

// PINPrompt asks the citizen for the PIN. This package never stores the
// PIN: it zeroes the returned slice as soon as the PIN block is built, so
// the prompt must return a slice it does not use again. Returning an
// error (for example because the citizen cancelled) aborts the operation
// before anything is sent to the card; the error is passed up wrapped.
type PINPrompt func(PINRequest) ([]byte, error)

// ask calls prompt for a PIN typed on the computer and checks its format.
// On success the caller owns (and must wipe) the returned PIN; on any
// error it has been wiped already.
func ask(prompt PINPrompt, req PINRequest) ([]byte, error) {
	if prompt == nil {
		return nil, fmt.Errorf("eid: a PIN is needed but no PIN prompt was given")
	}
	pin, err := prompt(req)
	if err != nil {
		wipe(pin)
		return nil, fmt.Errorf("eid: PIN entry: %w", err)
	}
	if err := checkPINFormat(pin); err != nil {
		wipe(pin)
		return nil, err
	}
	return pin, nil
}

// announcePINPad tells the citizen to use the keypad; a PIN the prompt
// returns anyway is wiped, unread.
func announcePINPad(prompt PINPrompt, req PINRequest) error {
	if prompt == nil {
		return nil
	}
	req.PINPad = true
	pin, err := prompt(req)
	wipe(pin)
	if err != nil {
		return fmt.Errorf("eid: PIN entry: %w", err)
	}
	return nil
}
