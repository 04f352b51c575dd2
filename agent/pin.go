package agent

import (
	"context"
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid"
)

// maxPINAsks bounds the PIN questions of one operation. Three wrong PINs
// block the card long before; more asks can only come from answers that
// are not PINs at all (which cost no try), and must not loop forever.
const maxPINAsks = 6

// withPIN runs a card call that may need the PIN, asking again in the
// dialog after a wrong PIN ("2 tries left") until it succeeds, the PIN
// blocks, or the citizen cancels or does not answer. The page learns only
// the final outcome.
func (d *dialog) withPIN(run func(eid.PINPrompt) error) error {
	for asks := 1; ; asks++ {
		err := run(d.prompt)
		if nerr := d.endNotice(); nerr != nil {
			return nerr
		}
		if !retryPIN(err) {
			return err
		}
		if asks >= maxPINAsks {
			return fmt.Errorf("too many PIN attempts in one operation: %w", ui.ErrCancelled)
		}
		d.wrong = true
	}
}

// retryPIN: the PIN was wrong with tries left, or was no PIN at all
// (refused before reaching the card, so no try was spent).
func retryPIN(err error) bool {
	var wrong *eid.WrongPINError
	if errors.As(err, &wrong) {
		return wrong.TriesLeft > 0
	}
	return errors.Is(err, eid.ErrPINFormat) || errors.Is(err, eid.ErrPINPadLength) ||
		errors.Is(err, eid.ErrPINPadMismatch)
}

// prompt is the eid.PINPrompt of the dialog. For a pinpad reader it
// puts up the "enter your PIN on the reader" notice, which stays while
// the reader collects the PIN, and returns at once.
func (d *dialog) prompt(req eid.PINRequest) ([]byte, error) {
	q := d.base
	q.Kind, q.TriesLeft, q.PINPad, q.WrongPIN = ui.KindPIN, req.TriesLeft, req.PINPad, d.wrong
	if req.PINPad {
		d.startNotice(q)
		return nil, nil
	}
	return d.ask(q)
}

// notice is a pinpad notice on screen.
type notice struct {
	cancel context.CancelFunc
	done   chan error
}

func (d *dialog) startNotice(q ui.Question) {
	d.markShown()
	ctx, cancel := context.WithCancel(d.ctx)
	n := &notice{cancel: cancel, done: make(chan error, 1)}
	go func() {
		ans, err := d.ui.Ask(ctx, q)
		wipe(ans)
		n.done <- err
	}()
	d.notice = n
}

// endNotice takes the notice down once the reader is done. If the
// citizen pressed cancel on it meanwhile, that wins over what the
// reader did: they said no.
func (d *dialog) endNotice() error {
	n := d.notice
	if n == nil {
		return nil
	}
	d.notice = nil
	n.cancel()
	if err := <-n.done; errors.Is(err, ui.ErrCancelled) {
		return err
	}
	return nil
}
