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
const (
	letterLease      = time.Minute
	letterRetryFirst = 10 * time.Second
	letterRetryMax   = time.Hour
	letterPoll       = 5 * time.Second // how often each instance's worker looks
)

// queuedLetter is one claimed letter.
type queuedLetter struct {
	id, citizenID int64
	sealed        []byte
	attempts      int
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

// claimLetter leases letter id, or when id is 0 the oldest letter due;
// nil when there is none to claim (another worker holds it, or it is
// not due).
func (p *Portal) claimLetter(ctx context.Context, id int64) (*queuedLetter, error) {
	now := p.cfg.Clock().Unix()
	l := &queuedLetter{}
	err := p.db.QueryRowContext(ctx, `UPDATE letters SET lease_until = ?2, attempts = attempts + 1
		WHERE id = (SELECT id FROM letters WHERE (id = ?3 OR ?3 = 0 AND next_at <= ?1) AND lease_until <= ?1
			ORDER BY id LIMIT 1`+p.db.SkipLocked()+`)
		AND lease_until <= ?1 RETURNING id, citizen_id, sealed, attempts`,
		now, now+int64(letterLease/time.Second), id).Scan(&l.id, &l.citizenID, &l.sealed, &l.attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim letter: %w", err)
	}
	return l, nil
}

// deliverLetter writes a claimed letter to the outbox and removes it from
// the queue, or, when it cannot be written, releases it for a retry
// after a back-off that doubles with each attempt.
func (p *Portal) deliverLetter(ctx context.Context, l *queuedLetter) error {
	data, err := p.keys.openLetter(l.citizenID, l.sealed)
	if err == nil {
		err = p.writeOutbox(kindLetter, data, p.cfg.Clock())
	}
	if err == nil {
		if _, err := p.db.ExecContext(ctx, `DELETE FROM letters WHERE id = ?`, l.id); err != nil {
			return fmt.Errorf("letter %d written, still queued: %w", l.id, err)
		}
		return nil
	}
	wait := min(letterRetryFirst<<min(l.attempts-1, 20), letterRetryMax)
	if _, rerr := p.db.ExecContext(ctx, `UPDATE letters SET lease_until = 0, next_at = ?, last_error = ? WHERE id = ?`,
		p.cfg.Clock().Add(wait).Unix(), err.Error(), l.id); rerr != nil {
		return fmt.Errorf("letter %d: %w; release: %w", l.id, err, rerr)
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

// drainLetters delivers every letter due, one claim at a time; it
// returns how many it wrote.
func (p *Portal) drainLetters(ctx context.Context) (int, error) {
	n := 0
	for {
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
}

// letterWorker drains the queue every interval until stop closes.
func (p *Portal) letterWorker(stop <-chan struct{}, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if _, err := p.drainLetters(context.Background()); err != nil {
				p.log.Error("letter queue", "err", err)
			}
		}
	}
}
