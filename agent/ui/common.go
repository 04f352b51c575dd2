package ui

import (
	"context"
	"errors"
	"fmt"
)

// PIN length bounds of the Belgian eID (4 to 12 digits).
const (
	minPIN = 4
	maxPIN = 12
)

// validPIN reports whether pin is 4 to 12 ASCII digits. Every UI checks
// before returning, so malformed input never costs a card try.
func validPIN(pin []byte) bool {
	if len(pin) < minPIN || len(pin) > maxPIN {
		return false
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ctxErr is what Ask returns once ctx has ended: ErrTimeout when its
// deadline passed, its own error (the caller cancelled) otherwise.
func ctxErr(ctx context.Context) error {
	err := ctx.Err()
	if errors.Is(err, context.DeadlineExceeded) {
		return ErrTimeout
	}
	return err
}

// cancelledBecause is ErrCancelled with the reason a UI gave up. Reasons
// never hold the PIN nor what the citizen typed.
func cancelledBecause(reason string) error {
	return fmt.Errorf("%w: %s", ErrCancelled, reason)
}

// checkQuestion refuses a question no dialog can word, before anything
// is shown.
func checkQuestion(q Question) error {
	if q.Kind != KindPIN && q.Kind != KindConsent && q.Kind != KindSite {
		return fmt.Errorf("ui: unknown question kind %q", q.Kind)
	}
	if q.Origin == "" {
		return errors.New("ui: the question has no origin to show")
	}
	return nil
}
