package pcsc

import (
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
)

// transmitOnce is the untraced raw transmit under the tracer.
func (k *Card) transmitOnce(cmd []byte) ([]byte, error) {
	if err := k.usable(); err != nil {
		return nil, wrapCard("transmit", err)
	}
	resp, err := k.h.Transmit(cmd)
	if err != nil {
		return nil, k.fail("transmit", err)
	}
	if len(resp) < 2 {
		// vpcd answers a command cut short by a removal with nothing
		// and no error; ask the reader what happened.
		return nil, k.probe("transmit", fmt.Errorf("reader returned %d bytes without a status word", len(resp)))
	}
	return resp, nil
}

// fail turns a PC/SC failure of a card operation into a typed error. A
// reset is recovered from (the handle is reconnected, so the next call
// works) and still reported, since the card lost its state (selected file,
// verified PIN). Codes without a definite meaning are checked against the
// card's status, so a removal shows as apdu.ErrCardRemoved whatever code
// the driver chose for the failed exchange.
func (k *Card) fail(op string, err error) error {
	var code scError
	if !errors.As(err, &code) {
		return wrapCard(op, err)
	}
	switch {
	case code == scErrResetCard:
		return k.recoverReset(op, err)
	case contextDead(err, false):
		k.ctx.invalidate(k.gen)
		return wrapCard(op, err)
	case sentinel(code) != nil:
		return wrapCard(op, err)
	}
	return k.probe(op, err)
}

// removalGrace bounds how long probe waits for the service to notice a
// removal. pcsc-lite learns of it by polling the reader (every 400 ms), so
// right after an exchange failed the card may still look present.
var removalGrace = 1500 * time.Millisecond

// probeEvery paces the status reads of probe, on this error path only.
const probeEvery = 50 * time.Millisecond

// probe reads the card's status after an unexplained failure, for up to
// removalGrace while the card still looks present.
func (k *Card) probe(op string, cause error) error {
	deadline := time.Now().Add(removalGrace)
	for {
		st, err := k.h.Status()
		var code scError
		switch {
		case errors.As(err, &code) && code == scErrResetCard:
			return k.recoverReset(op, err)
		case err != nil && sentinel(code) != nil:
			if contextDead(err, false) {
				k.ctx.invalidate(k.gen)
			}
			return fmt.Errorf("%w; after %w", wrapCard(op, err), cause)
		case err == nil && cardAbsent(st.State):
			return fmt.Errorf("pcsc: %s: %w (%w)", op, apdu.ErrCardRemoved, cause)
		case err != nil || time.Now().After(deadline):
			return wrapCard(op, cause)
		}
		time.Sleep(probeEvery)
	}
}

// recoverReset reconnects after another application reset the card.
// PC/SC keeps answering SCARD_W_RESET_CARD on the handle until then.
func (k *Card) recoverReset(op string, cause error) error {
	if err := k.h.Reconnect(shareShared, k.proto, leaveCard); err != nil {
		return fmt.Errorf("%w; reconnect: %w", wrapCard(op, cause), wrapCard("reconnect", err))
	}
	return wrapCard(op, cause)
}

// cardAbsent reads SCardStatus's state, a bit mask in pcsc-lite (Linux,
// macOS) but an enumeration on Windows.
func cardAbsent(s cardState) bool {
	if runtime.GOOS == "windows" {
		return s == statusAbsent
	}
	return s&statusAbsent != 0
}
