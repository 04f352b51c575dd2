package pcsc

import (
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// Errors callers can test with errors.Is. The PC/SC code that caused one is
// wrapped too, and its text names it (SCARD_E_SHARING_VIOLATION).
// A card removal wraps apdu.ErrCardRemoved and a reset apdu.ErrCardReset.
var (
	// ErrNoService: the PC/SC service is not reachable.
	ErrNoService = errors.New("pcscd is not running (start it with `sudo systemctl start pcscd`, or run `pcscd`)")
	// ErrNoReaders: the service runs but no reader is connected.
	ErrNoReaders = errors.New("no smart-card reader is connected")
	// ErrNoCard: the reader is empty.
	ErrNoCard = errors.New("no card in the reader")
	// ErrCardBusy: another application holds the card exclusively.
	ErrCardBusy = errors.New("the card is in use by another application (close it and retry)")
	// ErrReaderGone: the reader is unknown or was unplugged. On a Card
	// the error also wraps apdu.ErrCardRemoved, since the card went with it.
	ErrReaderGone = errors.New("the reader is not connected")
	// ErrCardMute: a card is present but does not answer (inserted the
	// wrong way round, or not a smart card).
	ErrCardMute = errors.New("the card in the reader does not respond (is it inserted the right way?)")
	// ErrConnectionLost: the PC/SC service restarted under an open Card;
	// its handle is dead. Connect again (the Context recovers by itself).
	ErrConnectionLost = errors.New("the connection to the card was lost because the PC/SC service restarted; connect again")
	// ErrClosed: the Context or Card was closed by its owner.
	ErrClosed = errors.New("use of a closed context or card")
	// ErrWatchBusy: another Watch runs in this process (see Watch).
	ErrWatchBusy = errors.New("another Watch is already running in this process")
)

// sentinel maps a PC/SC code to this package's error; nil when the code
// has no better meaning than its own text. Card operations refine a few
// of these (see cardSentinel).
func sentinel(code scError) error {
	switch code {
	case scErrNoService, scErrServiceStopped:
		return ErrNoService
	case scErrNoReadersAvailable:
		return ErrNoReaders
	case scErrNoSmartcard:
		return ErrNoCard
	case scErrSharingViolation:
		return ErrCardBusy
	case scErrReaderUnavailable, scErrUnknownReader:
		return ErrReaderGone
	case scErrRemovedCard:
		return apdu.ErrCardRemoved
	case scErrResetCard:
		return apdu.ErrCardReset
	case scErrUnresponsiveCard, scErrUnpoweredCard:
		return ErrCardMute
	case scErrInvalidHandle:
		return ErrConnectionLost
	}
	return nil
}

// contextDead reports the codes after which a context (and every handle
// opened through it) is unusable: the service went away or forgot us.
// SCARD_F_COMM_ERROR is what a call blocked in pcscd gets when the daemon
// dies; it is only treated as fatal for context-level calls.
func contextDead(err error, contextCall bool) bool {
	var code scError
	if !errors.As(err, &code) {
		return false
	}
	switch code {
	case scErrNoService, scErrServiceStopped, scErrInvalidHandle:
		return true
	case scErrCommError:
		return contextCall
	}
	return false
}

// wrap gives err its operation context and, for a PC/SC code, the
// matching sentinel: "pcsc: <op>: <sentinel> (<pcsc text>)".
func wrap(op string, err error) error {
	var code scError
	if !errors.As(err, &code) {
		return fmt.Errorf("pcsc: %s: %w", op, err)
	}
	if s := sentinel(code); s != nil {
		return fmt.Errorf("pcsc: %s: %w (%w)", op, s, err)
	}
	return fmt.Errorf("pcsc: %s: %w", op, err)
}

// wrapCard is wrap for operations on a connected card, where the codes
// read differently: an empty reader means the card was pulled, a lost
// reader took the card with it, and a dead service killed the handle.
func wrapCard(op string, err error) error {
	var code scError
	if !errors.As(err, &code) {
		return fmt.Errorf("pcsc: %s: %w", op, err)
	}
	switch {
	case code == scErrNoSmartcard:
		return fmt.Errorf("pcsc: %s: %w (%w)", op, apdu.ErrCardRemoved, err)
	case code == scErrReaderUnavailable || code == scErrUnknownReader:
		return fmt.Errorf("pcsc: %s: %w, %w (%w)", op, ErrReaderGone, apdu.ErrCardRemoved, err)
	case contextDead(err, false):
		return fmt.Errorf("pcsc: %s: %w (%w)", op, ErrConnectionLost, err)
	}
	return wrap(op, err)
}
