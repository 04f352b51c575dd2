package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

// Letters (tokens posted after a desk registration) go through a queue
// in the database that every instance drains: the activation records the
// letter in its own transaction, then tries to deliver it at once; a
// letter that could not be written is retried with back-off by whichever
// instance's worker claims it first. A claim is a lease: a worker that
// dies mid-delivery leaves the letter to another once the lease ends, so
// a letter is delivered at least once, and at worst twice (written, then
// the instance died before it could remove the letter from the queue):
// the print room may then print one letter twice, with the same codes.
// E-mail goes through a queue built the same way (outbox.go).
const (
	letterLease      = time.Minute
	letterRetryFirst = 10 * time.Second
	letterRetryMax   = time.Hour
	letterPoll       = 5 * time.Second // how often each instance's worker looks
)

// queueTable is a table of sealed messages that every instance drains:
// letters and outbox share the columns a claim needs (id, citizen_id,
// sealed, attempts, next_at, lease_until, last_error).
type queueTable struct {
	name    string // the table; a constant, never input
	pending string // what else a row must meet to be claimed, on its columns; "" for nothing
}

// still is the pending condition on the row named alias, " AND …".
func (q queueTable) still(alias string) string {
	if q.pending == "" {
		return ""
	}
	return " AND " + alias + "." + q.pending
}

var letterQueue = queueTable{name: "letters"}

// queued is one claimed row of a queue.
type queued struct {
	id, citizenID int64
	sealed        []byte
	attempts      int // this claim included
}

// queueLetter records a letter inside the activation's transaction.
func (p *Portal) queueLetter(ctx context.Context, tx *store.Tx, citizenID int64, data []byte, now time.Time) (int64, error) {
	sealed, err := p.keys.sealLetter(citizenID, data)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO letters (citizen_id, sealed, created_at, next_at) VALUES (?, ?, ?, ?)
		RETURNING id`, citizenID, sealed, now.Unix(), now.Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("queue letter: %w", err)
	}
	return id, nil
}

// claimQueued leases row id of q, or when id is 0 the oldest row due
// (citizen's, unless citizen is 0); nil when there is none to claim
// (another worker holds it, it is not due, or the citizen has an older
// one still queued: a citizen's messages go out in the order they were
// queued, so that a renewal's codes never arrive before the mail they
// replace). The lease (letterLease) outlasts any one delivery, so that
// two workers never hold one row.
func (p *Portal) claimQueued(ctx context.Context, q queueTable, id, citizen int64) (*queued, error) {
	now := p.cfg.Clock().Unix()
	r := &queued{}
	err := p.db.QueryRowContext(ctx, `UPDATE `+q.name+` SET lease_until = ?2, attempts = attempts + 1
		WHERE id = (SELECT id FROM `+q.name+` AS q WHERE (id = ?3 OR ?3 = 0 AND next_at <= ?1) AND lease_until <= ?1`+q.still("q")+`
			AND (?4 = 0 OR citizen_id = ?4)
			AND NOT EXISTS (SELECT 1 FROM `+q.name+` AS older WHERE older.citizen_id = q.citizen_id AND older.id < q.id`+q.still("older")+`)
			ORDER BY id LIMIT 1`+p.db.SkipLocked()+`)
		AND lease_until <= ?1 RETURNING id, citizen_id, sealed, attempts`,
		now, now+int64(letterLease/time.Second), id, citizen).Scan(&r.id, &r.citizenID, &r.sealed, &r.attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim from %s: %w", q.name, err)
	}
	return r, nil
}

// retryWait is the back-off after a row's attempts-th failed attempt: it
// doubles with each attempt, from letterRetryFirst up to letterRetryMax.
func retryWait(attempts int) time.Duration {
	return min(letterRetryFirst<<min(max(attempts-1, 0), 20), letterRetryMax)
}

// releaseQueued gives a claimed row back for another attempt after its
// back-off, noting why this one failed (failure's text must hold no
// personal data: the queue is read by operators).
func (p *Portal) releaseQueued(ctx context.Context, q queueTable, r *queued, failure error) (time.Duration, error) {
	wait := retryWait(r.attempts)
	if _, err := p.db.ExecContext(ctx, `UPDATE `+q.name+` SET lease_until = 0, next_at = ?, last_error = ? WHERE id = ?`,
		p.cfg.Clock().Add(wait).Unix(), failure.Error(), r.id); err != nil {
		return wait, fmt.Errorf("release %s %d: %w", q.name, r.id, err)
	}
	return wait, nil
}

// removeQueued deletes a delivered row.
func (p *Portal) removeQueued(ctx context.Context, q queueTable, id int64) error {
	if _, err := p.db.ExecContext(ctx, `DELETE FROM `+q.name+` WHERE id = ?`, id); err != nil {
		return fmt.Errorf("%s %d delivered, still queued: %w", q.name, id, err)
	}
	return nil
}

// claimLetter leases letter id, or when id is 0 the oldest letter due.
func (p *Portal) claimLetter(ctx context.Context, id int64) (*queued, error) {
	return p.claimQueued(ctx, letterQueue, id, 0)
}

// deliverLetter writes a claimed letter to the outbox and removes it from
// the queue, or, when it cannot be written, releases it for a retry
// after a back-off that doubles with each attempt. Once the letter is
// written, the queue is updated even when ctx ends (the worker
// stopping): a letter left claimed would be written again.
func (p *Portal) deliverLetter(ctx context.Context, l *queued) error {
	data, err := p.keys.openLetter(l.citizenID, l.sealed)
	if err == nil {
		err = p.writeOutbox(kindLetter, data, p.cfg.Clock())
	}
	ctx = context.WithoutCancel(ctx)
	if err == nil {
		return p.removeQueued(ctx, letterQueue, l.id)
	}
	wait, rerr := p.releaseQueued(ctx, letterQueue, l, err)
	if rerr != nil {
		return fmt.Errorf("letter %d: %w; %w", l.id, err, rerr)
	}
	return fmt.Errorf("letter %d, attempt %d, next in %s: %w", l.id, l.attempts, wait, err)
}

// postNow delivers the letter an activation has just queued, so that it
// is normally in the outbox before the page says it was posted. A
// failure is logged and left to the workers.
func (p *Portal) postNow(ctx context.Context, id, citizenID int64) {
	l, err := p.claimLetter(ctx, id)
	if err == nil && l != nil {
		err = p.deliverLetter(ctx, l)
	}
	if err != nil {
		p.log.Error("token letter queued, not yet written", "citizen", citizenID, "err", err)
	}
}

// drainLetters delivers every letter due, one claim at a time, until
// none is left or ctx ends; it returns how many it wrote.
func (p *Portal) drainLetters(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		l, err := p.claimLetter(ctx, 0)
		if err != nil || l == nil {
			return n, err
		}
		if err := p.deliverLetter(ctx, l); err != nil {
			p.log.Error("token letter", "citizen", l.citizenID, "err", err)
			continue
		}
		n++
	}
	return n, nil
}

// letterWorker drains the letter queue every interval until stop closes.
func (p *Portal) letterWorker(stop <-chan struct{}, interval time.Duration) {
	p.drainEvery(stop, interval, "letter queue", p.drainLetters)
}

// drainEvery runs drain every interval until stop closes. drain's
// context ends with stop, so that Close waits for one delivery at most,
// not for a whole backlog.
func (p *Portal) drainEvery(stop <-chan struct{}, interval time.Duration, what string,
	drain func(context.Context) (int, error)) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if _, err := drain(ctx); err != nil && ctx.Err() == nil {
				p.log.Error(what, "err", err)
			}
		}
	}
}
