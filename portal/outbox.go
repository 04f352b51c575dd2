package portal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

// E-mail (token cards, activation links) goes through an outbox in the
// database that every instance drains, built like the letter queue
// (letters.go). The transaction that records what a message carries
// only INSERTs the message, sealed: a rollback leaves no mail, a commit
// always leaves one, and no transaction waits on a mail server. The SMTP
// exchange comes after the commit, by whoever claims the row first: the
// request that queued it (mailNow, so that the mail has normally left
// before the page says it was sent), or any instance's worker. A failed
// exchange is retried with back-off (retryWait); an address the server
// refuses for good, or a message still not sent after mailMaxAttempts,
// is given up with a logged error and kept, failed_at set, so that an
// operator can requeue it (UPDATE outbox SET failed_at = 0, attempts = 0).
//
// Delivery is at least once. A claim is one conditional UPDATE (on
// PostgreSQL its row is picked FOR UPDATE SKIP LOCKED) and the lease
// outlasts any exchange (smtpTimeout), so with any number of instances
// each message is sent exactly once in the normal case; but an instance
// dying (or losing the database) between the server's acceptance and
// the DELETE leaves the row to another once the lease ends, and the
// citizen then receives the same message twice, with the same codes or
// link.

// mailMaxAttempts bounds the tries of one message: with retryWait's
// back-off (up to an hour), about a day.
const mailMaxAttempts = 30

var mailQueue = queueTable{name: "outbox", pending: "failed_at = 0"}

// queueMail records m, sealed with its recipient, inside the transaction
// that records what it carries (citizenID's token or activation).
func (p *Portal) queueMail(ctx context.Context, tx *store.Tx, citizenID int64, m message, now time.Time) (int64, error) {
	if m.Kind != kindMail || strings.ContainsAny(m.To+m.Subject, "\r\n") {
		return 0, errors.New("queue mail: not an e-mail, or a line break in a header")
	}
	plain := append([]byte(m.To+"\r\n"), m.encode(p.from(), now)...)
	sealed, err := p.keys.seal(mailPurpose, citizenID, plain)
	if err != nil {
		return 0, fmt.Errorf("queue mail: %w", err)
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO outbox (citizen_id, sealed, created_at, next_at) VALUES (?, ?, ?, ?)
		RETURNING id`, citizenID, sealed, now.Unix(), now.Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("queue mail: %w", err)
	}
	return id, nil
}

// openQueuedMail unseals a claimed row: the recipient, then the message.
func (p *Portal) openQueuedMail(r *queued) (to string, data []byte, err error) {
	plain, err := p.keys.unseal(mailPurpose, r.citizenID, r.sealed)
	if err != nil {
		return "", nil, err
	}
	rcpt, data, ok := bytes.Cut(plain, []byte("\r\n"))
	if !ok || len(rcpt) == 0 {
		return "", nil, errors.New("queued mail without a recipient")
	}
	return string(rcpt), data, nil
}

// mailNow sends the mail a request has just queued. With SMTP, one
// request per instance at a time tries, and none while the relay's
// breaker is open (the gate's slot): the others leave it to the workers
// at once, so that a stalled relay holds up one page, not all of them.
// Whatever happens is left to sendQueued and the workers: the page
// answers the same.
func (p *Portal) mailNow(ctx context.Context, id int64) {
	if p.cfg.SMTP != nil {
		release, ok := p.gate.tryAcquire()
		if !ok {
			return
		}
		defer release()
	}
	r, err := p.claimQueued(ctx, mailQueue, id, 0)
	if err != nil {
		p.log.Warn("e-mail queued, left to the workers", "err", err)
		return
	}
	p.sendInOrder(ctx, r) // nil: another worker was first, or an older mail is still on its way
}

// sendInOrder sends r, then whatever the same citizen has queued since:
// a request whose mail waited behind r's (claimQueued keeps a citizen's
// order) does not wait for the next worker round.
func (p *Portal) sendInOrder(ctx context.Context, r *queued) {
	for r != nil && p.sendQueued(ctx, r) {
		var err error
		if r, err = p.claimQueued(ctx, mailQueue, 0, r.citizenID); err != nil {
			p.log.Warn("e-mail queued, left to the workers", "err", err)
			return
		}
	}
}

// sendQueued sends a claimed mail and records the outcome: removed once
// sent, released for a retry after its back-off, or given up. It reports
// whether the mail went out. The logs name the citizen by internal id
// only, and the errors hide the recipient (smtpError).
func (p *Portal) sendQueued(ctx context.Context, r *queued) bool {
	to, data, err := p.openQueuedMail(r)
	final := err != nil // an unreadable row stays unreadable
	if err == nil {
		err = p.sendMail(to, data)
		final = recipientRefused(err) || r.attempts >= mailMaxAttempts
	}
	// Sent or not, the row must say so, even when the worker is stopping:
	// a mail sent and left claimed would be sent again.
	ctx = context.WithoutCancel(ctx)
	switch {
	case err == nil:
		if err := p.removeQueued(ctx, mailQueue, r.id); err != nil {
			p.log.Error("e-mail sent, still queued: it will be sent again", "citizen", r.citizenID, "err", err)
		}
		return true
	case final:
		p.giveUpMail(ctx, r, err)
	default:
		wait, rerr := p.releaseQueued(ctx, mailQueue, r, err)
		p.log.Warn("e-mail not sent yet: will try again", "citizen", r.citizenID, "attempt", r.attempts,
			"next_in", wait, "err", errors.Join(err, rerr))
	}
	return false
}

// giveUpMail marks a mail that will not be tried again.
func (p *Portal) giveUpMail(ctx context.Context, r *queued, failure error) {
	_, err := p.db.ExecContext(ctx, `UPDATE outbox SET lease_until = 0, failed_at = ?, last_error = ? WHERE id = ?`,
		p.cfg.Clock().Unix(), failure.Error(), r.id)
	if err != nil {
		failure = errors.Join(failure, fmt.Errorf("mark outbox %d given up: %w", r.id, err))
	}
	p.log.Error("e-mail given up", "citizen", r.citizenID, "outbox", r.id, "attempts", r.attempts, "err", failure)
}

// drainOutbox sends every mail due, one claim at a time, until none is
// left, ctx ends or the relay's breaker opens (the rest waits for the
// next round rather than fail one by one); it returns how many it sent.
// It is one round of the worker, which tests run directly.
func (p *Portal) drainOutbox(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil && !p.gate.open() {
		r, err := p.claimQueued(ctx, mailQueue, 0, 0)
		if err != nil || r == nil {
			return n, err
		}
		if p.sendQueued(ctx, r) {
			n++
		}
	}
	return n, nil
}

// mailWorker drains the outbox every interval until stop closes.
func (p *Portal) mailWorker(stop <-chan struct{}, interval time.Duration) {
	p.drainEvery(stop, interval, "e-mail outbox", p.drainOutbox)
}
