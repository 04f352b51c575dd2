package main

import (
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/eid"
)

// pinQuestion is the terminal prompt for a PIN typed on the computer.
func pinQuestion(req eid.PINRequest) string {
	switch req.Purpose {
	case eid.PurposeChangeOld:
		return fmt.Sprintf("Current PIN (%s): ", triesText(req.TriesLeft))
	case eid.PurposeChangeNew:
		return "New PIN (4 to 12 digits): "
	case eid.PurposeSign:
		return fmt.Sprintf("PIN to sign with your %s (%s): ", keyText(req.Role), triesText(req.TriesLeft))
	}
	return fmt.Sprintf("PIN of your eID card (%s): ", triesText(req.TriesLeft))
}

// pinPadNotice sends the citizen to the reader's keypad.
func pinPadNotice(req eid.PINRequest) string {
	tries := triesText(req.TriesLeft)
	switch req.Purpose {
	case eid.PurposeChange:
		return fmt.Sprintf("On the reader's keypad: type your current PIN (%s), then the new PIN twice.", tries)
	case eid.PurposeSign:
		return fmt.Sprintf("To sign with your %s, type your PIN on the reader's keypad (%s).", keyText(req.Role), tries)
	}
	return fmt.Sprintf("Type your PIN on the reader's keypad (%s).", tries)
}

func keyText(r eid.KeyRole) string {
	if r == eid.KeySign {
		return "signature key (a legally binding signature)"
	}
	return "authentication key"
}

func triesText(n int) string {
	if n == 1 {
		return "last try: one more wrong PIN blocks the card"
	}
	return fmt.Sprintf("%d tries left", n)
}

// pinMessage turns the card's PIN errors into plain sentences; other
// errors pass unchanged.
func pinMessage(err error) error {
	var wrong *eid.WrongPINError
	var input *pinInputError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &input):
		return input
	case errors.As(err, &wrong) && wrong.TriesLeft > 0:
		if wrong.TriesLeft == 1 {
			return errors.New("Wrong PIN: 1 try left; one more wrong PIN blocks the card")
		}
		return fmt.Errorf("Wrong PIN: %d tries left", wrong.TriesLeft)
	case errors.Is(err, eid.ErrPINBlocked):
		return errors.New("The PIN is blocked: after 3 wrong PINs the card refuses every PIN; your municipality can unblock it with your PUK code")
	case errors.Is(err, eid.ErrPINFormat):
		return errors.New("The PIN must be 4 to 12 digits; nothing was sent to the card")
	case errors.Is(err, eid.ErrPINPadTimeout):
		return errors.New("PIN entry on the reader timed out; nothing was changed")
	case errors.Is(err, eid.ErrPINPadCancelled):
		return errors.New("PIN entry was cancelled on the reader")
	case errors.Is(err, eid.ErrPINPadMismatch):
		return errors.New("The two new PINs typed on the reader differ; the PIN was not changed")
	case errors.Is(err, eid.ErrPINPadLength):
		return errors.New("The PIN typed on the reader must be 4 to 12 digits")
	}
	return err
}
