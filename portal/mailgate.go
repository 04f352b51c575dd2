package portal

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// A message is sent inside the write transaction that records what it
// carries, so that a failed delivery changes nothing; SQLite's write lock
// is then held for the SMTP exchange. mailGate keeps that safe for the
// other writers (logins above all), which wait up to the busy timeout:
//   - one delivering transaction at a time, so the lock is held for at
//     most one exchange (smtpTimeout, 8 s, under the busy timeout, 10 s);
//   - a request waits for its turn only briefly (wait), then gets the
//     "mail failed, try later" answer, so that deliverers never queue up
//     on the lock behind a slow server;
//   - a breaker: after a timeout or a failed connection the server is
//     taken as down for window, and requests get that answer at once,
//     without SMTP or the database.
//
// There is one gate per Portal, that is per database, which is what the
// lock belongs to (and one per process in practice).
type mailGate struct {
	slot   chan struct{} // capacity 1: holding it allows one delivering transaction
	wait   time.Duration // longest wait for the slot
	window time.Duration // how long the breaker stays open
	now    func() time.Time

	mu        sync.Mutex
	openUntil time.Time
}

// Defaults of the gate; the window is real time, not Config.Clock, as it
// is about a real server.
const (
	mailSlotWait      = 3 * time.Second
	mailBreakerWindow = 30 * time.Second
)

func newMailGate() *mailGate {
	return &mailGate{slot: make(chan struct{}, 1), wait: mailSlotWait, window: mailBreakerWindow, now: time.Now}
}

// Answers of the gate. They are errDelivery failures, so the citizen is
// told that the mail could not go out and to come back (503,
// Retry-After), and nothing was recorded.
var (
	errMailBusy = fmt.Errorf("%w: another message is being sent, not waiting longer", errDelivery)
	errMailDown = fmt.Errorf("%w: mail server unreachable a moment ago, not tried", errDelivery)
)

// acquire takes the slot, waiting at most g.wait; release gives it back.
func (g *mailGate) acquire(ctx context.Context) (release func(), err error) {
	if g.open() {
		return nil, errMailDown
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slot <- struct{}{}:
	case <-t.C:
		return nil, errMailBusy
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting to send mail: %w", ctx.Err())
	}
	release = func() { <-g.slot }
	if g.open() { // tripped by the one we waited for
		release()
		return nil, errMailDown
	}
	return release, nil
}

func (g *mailGate) open() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.now().Before(g.openUntil)
}

// trip opens the breaker for g.window.
func (g *mailGate) trip() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.openUntil = g.now().Add(g.window)
}

// deliveryDBSlack is what a delivering transaction may spend on the
// database besides the SMTP exchange: waiting for the lock behind other
// writers (up to the busy timeout) and committing. Its deadline is only a
// safety net: it must not fall inside the exchange, which would roll back
// what is being mailed.
const deliveryDBSlack = 20 * time.Second

// sendFunc delivers the message a transaction has just recorded.
type sendFunc func(message) error

// deliveryTx runs f in a write transaction that ends by sending what it
// recorded with send; mail by SMTP (viaSMTP) goes through the gate.
//
// The transaction does not follow the request's context: if the citizen
// leaves while the message is being sent, database/sql would roll back
// what the message carries, and they would hold codes or a link that
// never worked. Instead send checks the request just before sending: a
// request gone by then changes nothing, and once sent, the transaction
// commits.
func (p *Portal) deliveryTx(ctx context.Context, viaSMTP bool, f func(context.Context, *sql.Tx, sendFunc) error) error {
	if viaSMTP {
		release, err := p.gate.acquire(ctx)
		if err != nil {
			return err
		}
		defer release()
	}
	txCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), smtpTimeout+deliveryDBSlack)
	defer cancel()
	send := func(m message) error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("request ended before sending: %w", err)
		}
		return p.deliver(m)
	}
	return inTx(txCtx, p.db, func(tx *sql.Tx) error { return f(txCtx, tx, send) })
}

// noteSMTP trips the breaker when err says the server cannot be reached
// or does not answer in time: the next requests would only wait as long.
func (p *Portal) noteSMTP(err error) {
	if err != nil && smtpUnreachable(err) {
		p.gate.trip()
		p.log.Warn("mail server unreachable: refusing deliveries for a while", "for", p.gate.window)
	}
}
