package eid

import (
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// PIN errors. None of them ever carries the PIN, its digits or its length.
var (
	// ErrWrongPIN matches every *WrongPINError with errors.Is.
	ErrWrongPIN = errors.New("eid: wrong PIN")
	// ErrPINBlocked: the cardholder PIN has no tries left. Nothing this
	// program does can unblock it; the card refuses every VERIFY.
	ErrPINBlocked = errors.New("eid: the PIN is blocked after 3 wrong tries; the municipality can unblock it with your PUK code")
	// ErrPINFormat: the PIN is not 4 to 12 digits. Returned before any
	// APDU is sent, so a typo costs no try.
	ErrPINFormat = errors.New("eid: a PIN is 4 to 12 digits")
	// ErrPINPadTimeout: nobody finished typing on the reader's keypad in
	// time (reader status 6400; some readers also give it for OK pressed
	// with no digits).
	ErrPINPadTimeout = errors.New("eid: PIN entry on the reader timed out")
	// ErrPINPadCancelled: the citizen pressed Cancel on the keypad (6401).
	ErrPINPadCancelled = errors.New("eid: PIN entry was cancelled on the reader")
	// ErrPINPadMismatch: the two new PINs typed on the keypad differ (6402).
	ErrPINPadMismatch = errors.New("eid: the two new PINs typed on the reader differ")
	// ErrPINPadLength: the PIN typed on the keypad was too short or too
	// long for the reader (6403).
	ErrPINPadLength = errors.New("eid: the PIN typed on the reader has the wrong number of digits")
)

// WrongPINError: the card refused the PIN and counted a try.
// TriesLeft 0 means this try blocked the PIN; the error then matches
// ErrPINBlocked as well as ErrWrongPIN.
type WrongPINError struct {
	TriesLeft int
}

func (e *WrongPINError) Error() string {
	switch e.TriesLeft {
	case 0:
		return "eid: wrong PIN; the PIN is now blocked (the municipality can unblock it with your PUK code)"
	case 1:
		return "eid: wrong PIN: 1 try left"
	}
	return fmt.Sprintf("eid: wrong PIN: %d tries left", e.TriesLeft)
}

// Is makes errors.Is(err, ErrWrongPIN) true, and ErrPINBlocked too when
// no try is left.
func (e *WrongPINError) Is(target error) bool {
	return target == ErrWrongPIN || (target == ErrPINBlocked && e.TriesLeft == 0)
}

// pinResult maps the answer to VERIFY or CHANGE REFERENCE DATA. A 6983
// after a status query that found tries left means this PIN used up the
// last one; a real card may say 63C0 for the same thing.
func pinResult(op string, sw apdu.Status) error {
	if n, ok := sw.TriesLeft(); ok {
		return &WrongPINError{TriesLeft: n}
	}
	switch sw {
	case apdu.OK:
		return nil
	case apdu.AuthMethodBlocked:
		return &WrongPINError{TriesLeft: 0}
	case apdu.IncorrectData:
		return fmt.Errorf("%w (the card refused the PIN block: %v)", ErrPINFormat, sw)
	}
	return fmt.Errorf("eid: %s: %w", op, sw)
}

// pinPadResult maps the reader's own status words of a keypad operation
// (beid-card.md §7.4) and passes the card's through pinResult. 6400 is
// read as the reader's timeout here, not as the card's "no diagnosis".
func pinPadResult(op string, sw apdu.Status) error {
	switch sw {
	case PINPadTimeout:
		return ErrPINPadTimeout
	case PINPadCancelled:
		return ErrPINPadCancelled
	case PINPadMismatch:
		return ErrPINPadMismatch
	case PINPadBadLength:
		return ErrPINPadLength
	}
	return pinResult(op, sw)
}
