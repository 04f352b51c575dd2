package pcsc

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/eidbridge/eidbridge/apdu"
)

// Card is a shared-mode connection to the card in one reader. It
// satisfies eid.Transport: Transmit applies the T=0 rules and Transaction
// holds the card for a multi-APDU operation.
//
// A Card is meant to be driven by one goroutine at a time. Concurrent
// Transactions are serialised; a Transmit issued from another goroutine
// while a Transaction runs is not (it cannot be told apart from a Transmit
// inside fn), but each command with its GET RESPONSE chain stays whole.
type Card struct {
	ctx    *Context
	gen    uint64 // generation of ctx the handle belongs to
	reader string
	atr    []byte
	h      scCard
	proto  protocol // protocol asked for, reused on reconnect

	mu     sync.Mutex // guards raw and closed
	raw    apdu.RawTransmitter
	closed bool

	txMu sync.Mutex  // one Transaction at a time in this process
	inTx atomic.Bool // a Transaction is running: Transmit needs no own one
	xMu  sync.Mutex  // one command and its response chain at a time

	pad pinpad // what the reader's keypad can do, learned once
}

func newCard(ctx *Context, gen uint64, reader string, h scCard) (*Card, error) {
	st, err := h.Status()
	if err != nil {
		_ = h.Disconnect(leaveCard)
		return nil, err
	}
	k := &Card{
		ctx:    ctx,
		gen:    gen,
		reader: reader,
		atr:    append([]byte(nil), st.Atr...),
		h:      h,
		proto:  protocolT0,
	}
	if h.ActiveProtocol() != protocolT0 {
		k.proto = protocolAny
	}
	k.SetTracer(ctx.opts.tracer)
	return k, nil
}

// Reader returns the name of the reader the card is in.
func (k *Card) Reader() string { return k.reader }

// ATR returns the card's answer to reset, as read when connecting.
func (k *Card) ATR() []byte { return append([]byte(nil), k.atr...) }

// Protocol returns the negotiated transmission protocol, "T=0" or "T=1".
func (k *Card) Protocol() string {
	switch k.h.ActiveProtocol() {
	case protocolT0:
		return "T=0"
	case protocolT1:
		return "T=1"
	}
	return "unknown"
}

// SetTracer reports every raw APDU pair to tr, PINs redacted (see
// apdu.Traced); nil turns tracing off, which is the default.
func (k *Card) SetTracer(tr apdu.Tracer) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.raw = apdu.Traced(apdu.RawFunc(k.transmitOnce), tr)
}

// TransmitRaw sends one raw command APDU and returns the raw response
// (data ‖ SW1 SW2), with no T=0 handling.
func (k *Card) TransmitRaw(cmd []byte) ([]byte, error) {
	k.mu.Lock()
	raw := k.raw
	k.mu.Unlock()
	return raw.TransmitRaw(cmd)
}

// Transmit sends cmd and applies the T=0 rules (61xx is followed with GET
// RESPONSE, 6Cxx re-sent with the corrected Le; see apdu.Exchange). Called
// outside a Transaction it takes one of its own, since a response chain is
// itself a multi-APDU operation another application must not split.
func (k *Card) Transmit(cmd apdu.Command) (resp apdu.Response, err error) {
	if !k.inTx.Load() {
		err = k.Transaction(func() error {
			resp, err = k.exchange(cmd)
			return err
		})
		return resp, err
	}
	return k.exchange(cmd)
}

func (k *Card) exchange(cmd apdu.Command) (apdu.Response, error) {
	k.xMu.Lock()
	defer k.xMu.Unlock()
	return apdu.Exchange(k, cmd)
}

// Transaction runs fn while holding the card (SCardBeginTransaction), so
// no other application's APDU lands between fn's commands. It waits while
// another application holds its own transaction, as PC/SC prescribes.
// Transactions do not nest: fn must not call Transaction.
//
// fn's error wins. When fn succeeded, a failure to end the transaction
// because the card was just removed or reset is not reported: fn's work
// is complete and the next call will report the card's state.
func (k *Card) Transaction(fn func() error) (err error) {
	k.txMu.Lock()
	defer k.txMu.Unlock()
	if err := k.usable(); err != nil {
		return wrapCard("begin transaction", err)
	}
	if err := k.h.BeginTransaction(); err != nil {
		return k.fail("begin transaction", err)
	}
	k.inTx.Store(true)
	defer func() {
		k.inTx.Store(false)
		endErr := k.h.EndTransaction(leaveCard)
		if err == nil && endErr != nil && !cardGone(endErr) {
			err = k.fail("end transaction", endErr)
		}
	}()
	return fn()
}

// cardGone reports codes meaning the card left, was reset or lost its
// service: ending a transaction then has nothing left to protect.
func cardGone(err error) bool {
	var code scError
	if !errors.As(err, &code) {
		return false
	}
	switch code {
	case scErrRemovedCard, scErrResetCard, scErrNoSmartcard,
		scErrReaderUnavailable, scErrUnknownReader:
		return true
	}
	return contextDead(err, false)
}

// Close leaves the card as it is and releases the handle.
func (k *Card) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return nil
	}
	k.closed = true
	if k.ctx.alive(k.gen) != nil {
		return nil // the handle died with its context
	}
	if err := k.h.Disconnect(leaveCard); err != nil && !cardGone(err) {
		return wrapCard("disconnect", err)
	}
	return nil
}

// usable checks the Card is open and its context still the live one.
func (k *Card) usable() error {
	k.mu.Lock()
	closed := k.closed
	k.mu.Unlock()
	if closed {
		return ErrClosed
	}
	return k.ctx.alive(k.gen)
}
