package pcsc

import (
	"errors"
	"fmt"
	"maps"
	"sync"
)

// pinpad is what a Card learned about its reader's keypad: the feature
// list, asked once per Card, and whether the reader proved unusable.
type pinpad struct {
	mu     sync.Mutex
	known  bool // discovery got a definite answer (cached from then on)
	feats  Features
	err    error // definite discovery failure; wraps ErrPINPadUnusable
	broken error // the reader misreported a feature; wraps ErrPINPadUnusable
}

func (k *Card) pinpad() *pinpad { return &k.pad }

// Features returns the PC/SC part 10 features of the card's reader. The
// reader is asked once per Card. A reader that refuses the request (as
// most readers without a keypad do) or answers a malformed list gives an
// error wrapping ErrPINPadUnusable; other errors (card removed, service
// gone) are not remembered, so a later call asks again.
func (k *Card) Features() (Features, error) {
	p := k.pinpad()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.known {
		fs, definite, err := k.discover()
		if !definite {
			return nil, err
		}
		p.known, p.feats, p.err = true, fs, err
	}
	return maps.Clone(p.feats), p.err
}

// discover sends CM_IOCTL_GET_FEATURE_REQUEST. It does not go through
// fail: a reader without features answers with an error, and probing the
// card's status after it would only slow every connection down.
func (k *Card) discover() (fs Features, definite bool, err error) {
	const op = "get reader features"
	if err := k.usable(); err != nil {
		return nil, false, wrapCard(op, err)
	}
	out, err := k.h.Control(getFeatureRequest, nil)
	var code scError
	switch {
	case errors.As(err, &code) && sentinel(code) != nil:
		return nil, false, wrapCard(op, err) // the card or service, not the reader
	case err != nil:
		return nil, true, fmt.Errorf("pcsc: %s: %w (%w)", op, ErrPINPadUnusable, err)
	}
	if fs, err = parseFeatures(out); err != nil {
		return nil, true, fmt.Errorf("pcsc: %s: %w: %w", op, ErrPINPadUnusable, err)
	}
	return fs, true, nil
}

// markBroken remembers that the reader misreported its keypad, so this
// Card stops offering it, and returns the error for the failed call.
func (k *Card) markBroken(op string, cause error) error {
	err := fmt.Errorf("pcsc: %s: %w (%w)", op, ErrPINPadUnusable, cause)
	p := k.pinpad()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.broken == nil {
		p.broken = err
	}
	return err
}

// brokenErr reports a misreport seen earlier on this Card.
func (k *Card) brokenErr() error {
	p := k.pinpad()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.broken
}
