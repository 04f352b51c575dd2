package apdu

import "errors"

// Transport failures. The PC/SC layer and the virtual card wrap their own
// errors around these so that callers can tell a pulled card from a
// protocol error with errors.Is, whatever the transport.
var (
	// ErrCardRemoved: the card left the reader (or the reader went away).
	ErrCardRemoved = errors.New("the card was removed from the reader")
	// ErrCardReset: another application reset the card; its state (PIN
	// verified, selected file) is gone, but the card is still there.
	ErrCardReset = errors.New("the card was reset")
)
