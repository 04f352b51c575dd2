package portal

import (
	"context"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

// checkClaim is how long a claimed password check may run before another
// may start (an instance that died mid-check frees the account then).
const checkClaim = 10 * time.Second

// claimCheck lets one password check at a time run for an account, and
// none while it is locked (unless the browser is the citizen's). It is
// one statement, so it holds across instances on a shared database: each
// guess is judged against the lock as every earlier guess left it,
// instead of parallel guesses all passing a lock read before any failure
// was counted.
func (p *Portal) claimCheck(ctx context.Context, id int64, now time.Time, trusted bool) (bool, error) {
	lockedBefore := now.Unix() // the lock must have ended by now
	if trusted {
		lockedBefore = 1 << 62 // any lock
	}
	res, err := p.db.ExecContext(ctx, `UPDATE citizens SET checking_until = ?
		WHERE id = ? AND locked_until <= ? AND checking_until <= ?`,
		now.Add(checkClaim).Unix(), id, lockedBefore, now.Unix())
	if err != nil {
		return false, fmt.Errorf("claim a password check: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// releaseCheckTx ends the claim, with the check's outcome recorded in tx.
func releaseCheckTx(ctx context.Context, tx *store.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE citizens SET checking_until = 0 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("release the password check: %w", err)
	}
	return nil
}

// releaseCheck ends the claim after a check that could not conclude.
func (p *Portal) releaseCheck(id int64) {
	if _, err := p.db.Exec(`UPDATE citizens SET checking_until = 0 WHERE id = ?`, id); err != nil {
		p.log.Error("releasing a password check", "citizen", id, "err", err)
	}
}
