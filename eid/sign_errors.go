package eid

import (
	"errors"
	"fmt"
)

// Signature errors found before anything is sent to the card.
var (
	// ErrKeyRole: a KeyRole other than KeyAuth and KeySign.
	ErrKeyRole = errors.New("eid: unknown key role (want KeyAuth or KeySign)")
	// ErrUnsupportedHash: the applet cannot sign with this hash or scheme.
	ErrUnsupportedHash = errors.New("eid: the card cannot make this kind of signature")
	// ErrDigestLength: the digest is not as long as its hash's output.
	ErrDigestLength = errors.New("eid: the digest length does not match the hash")
	// ErrPSSSaltLength: applet 1.7 makes RSA-PSS signatures only with a
	// salt as long as the hash (20 bytes for SHA-1, 32 for SHA-256).
	ErrPSSSaltLength = errors.New("eid: the card's RSA-PSS salt is always as long as the hash; other salt lengths cannot be made")
)

// SignError reports a failure of the card or of the connection during a
// signature: Step names the command (SELECT, MSE:SET, VERIFY, PSO). A
// card pulled out mid-way gives a SignError that matches
// apdu.ErrCardRemoved; nothing is retried then, and since the PIN was not
// wrong the counter is untouched. PIN verdicts (wrong, blocked, keypad
// cancelled) are returned as their own errors, not as SignError.
type SignError struct {
	Role KeyRole
	Step string
	Err  error
}

func (e *SignError) Error() string {
	return fmt.Sprintf("eid: signing with the %s key: %s: %v", e.Role, e.Step, e.Err)
}

func (e *SignError) Unwrap() error { return e.Err }
