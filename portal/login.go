package portal

import (
	"context"
	"crypto/hmac"
	"fmt"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

// loginResult is what a login step concludes; errKey is the message to
// show when it failed.
type loginResult struct {
	citizenID int64
	position  int
	errKey    string
	who       int64  // the account named, when it exists (for the security log)
	why       string // why it failed, for the security log only
	locked    bool   // this failure locked the account
}

// loginPassword is the first step: username and password. On success it
// returns the code position to ask, chosen once and kept with the account
// until a login succeeds. An unknown username, a wrong password and a
// locked account look the same to the visitor (err.login, the same
// time): only someone who knows the password learns of a lock.
//
// trusted says whether the request comes from a browser of the account's
// citizen (device.go): the lock does not hold for those.
func (p *Portal) loginPassword(ctx context.Context, username, password string, trusted func(int64) bool) (loginResult, error) {
	c, err := findCitizen(ctx, p.db, "username", normUsername(username))
	if err != nil {
		return loginResult{}, err
	}
	if c == nil || c.PasswordHash == "" {
		checkPassword(dummyHash(), password) // same time as for a real account
		return loginResult{errKey: "err.login", why: "unknown username"}, nil
	}
	now := p.cfg.Clock()
	claimed, err := p.claimCheck(ctx, c.ID, now, trusted(c.ID))
	if err != nil || !claimed {
		checkPassword(dummyHash(), password)
		return loginResult{errKey: "err.login", who: c.ID, why: "locked, or another check running"}, err
	}
	ok, err := p.checkHash(c.PasswordHash, password)
	if err != nil {
		p.releaseCheck(c.ID)
		return loginResult{}, fmt.Errorf("citizen %d: %w", c.ID, err)
	}
	if !ok {
		res := loginResult{errKey: "err.login", who: c.ID, why: "wrong password"}
		return res, p.db.InTx(ctx, func(tx *store.Tx) (err error) {
			if res.locked, err = p.recordFailure(ctx, tx, c.ID, now); err != nil {
				return err
			}
			return releaseCheckTx(ctx, tx, c.ID)
		})
	}
	res := loginResult{citizenID: c.ID, who: c.ID}
	err = p.db.InTx(ctx, func(tx *store.Tx) error {
		if err := releaseCheckTx(ctx, tx, c.ID); err != nil {
			return err
		}
		res.position, res.errKey, err = codePosition(ctx, tx, c.ID)
		return err
	})
	return res, err
}

// codePosition is the position of the code to ask, chosen on the first
// accepted password and kept until a login succeeds.
func codePosition(ctx context.Context, tx *store.Tx, id int64) (int, string, error) {
	t, err := activeToken(ctx, tx, id)
	if err != nil || t == nil {
		return 0, "err.notoken", err
	}
	fresh, err := newPosition()
	if err != nil {
		return 0, "", err
	}
	// One statement: two instances accepting the password at once agree
	// on the position the first one chose.
	var pos int
	if err := tx.QueryRowContext(ctx, `UPDATE citizens SET login_position =
		CASE WHEN login_position = 0 THEN ? ELSE login_position END WHERE id = ? RETURNING login_position`,
		fresh, id).Scan(&pos); err != nil {
		return 0, "", fmt.Errorf("login position: %w", err)
	}
	return pos, "", nil
}

// loginCode is the second step: the code at the position asked. Only the
// citizen's active token is consulted, so revoked and deactivated tokens
// never let anyone in.
func (p *Portal) loginCode(ctx context.Context, pend pendingLogin, code string) (errKey string, locked bool, err error) {
	now := p.cfg.Clock()
	err = p.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := findCitizen(ctx, tx, "id", pend.citizenID)
		switch {
		case err != nil:
			return err
		case c == nil:
			errKey = "err.login"
			return nil
		case c.locked(now) && !pend.trusted:
			errKey = "err.locked"
			return nil
		case c.Position != pend.position:
			errKey = "err.session" // a login elsewhere succeeded meanwhile
			return nil
		}
		t, err := activeToken(ctx, tx, c.ID)
		if err != nil || t == nil {
			errKey = "err.notoken"
			return err
		}
		want, err := codeHashAt(ctx, tx, t.ID, pend.position)
		if err != nil {
			return err
		}
		if !hmac.Equal(want, p.keys.codeHash(t.Serial, pend.position, normCode(code))) {
			errKey = "err.code"
			locked, err = p.recordFailure(ctx, tx, c.ID, now)
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE citizens SET failed_logins = 0, login_position = 0 WHERE id = ?`, c.ID); err != nil {
			return fmt.Errorf("login success: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ?`, now.Unix(), t.ID)
		return err
	})
	return errKey, locked, err
}

// recordFailure counts a wrong password or code; the last one allowed
// locks the account for LockDuration and starts the count afresh. It
// reports whether this failure locked the account.
func (p *Portal) recordFailure(ctx context.Context, tx *store.Tx, id int64, now time.Time) (bool, error) {
	until := now.Add(p.cfg.LockDuration).Unix()
	var lockedUntil int64
	err := tx.QueryRowContext(ctx, `UPDATE citizens SET
		failed_logins = CASE WHEN failed_logins + 1 >= ?1 THEN 0 ELSE failed_logins + 1 END,
		locked_until = CASE WHEN failed_logins + 1 >= ?1 THEN ?2 ELSE locked_until END
		WHERE id = ?3 RETURNING locked_until`, p.cfg.MaxLoginFailures, until, id).Scan(&lockedUntil)
	if err != nil {
		return false, fmt.Errorf("record login failure: %w", err)
	}
	return lockedUntil == until, nil
}

// normCode accepts codes typed in lower case, or with spaces around or
// inside (as a code is read out or copied in groups).
func normCode(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }
