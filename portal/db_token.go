package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

// Token states.
const (
	tokenActive      = "active"
	tokenRevoked     = "revoked"
	tokenDeactivated = "deactivated"
)

// newToken is a freshly issued token: the only moment its codes exist in
// clear, to be delivered and forgotten.
type newToken struct {
	Serial    string
	Codes     []string
	Requested time.Time
	Replaced  bool // an active token was revoked for it
}

// tokenInfo is a stored token, without codes.
type tokenInfo struct {
	ID             int64
	Serial, Status string
	Requested      time.Time
}

// issueToken revokes the citizen's active token and creates a new one,
// inside the caller's transaction so that both happen or neither.
func (p *Portal) issueToken(ctx context.Context, tx *store.Tx, citizenID int64, holder, channel string, now time.Time) (*newToken, error) {
	if err := lockCitizen(ctx, tx, citizenID); err != nil { // one token request at a time, across instances
		return nil, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE tokens SET status = ?, ended_at = ? WHERE citizen_id = ? AND status = ?`,
		tokenRevoked, now.Unix(), citizenID, tokenActive)
	if err != nil {
		return nil, fmt.Errorf("revoke token: %w", err)
	}
	revoked, _ := res.RowsAffected()
	if err := endSessions(ctx, tx, citizenID); err != nil { // a thief's session ends with the old token
		return nil, err
	}
	codes, err := newCodes()
	if err != nil {
		return nil, err
	}
	serial, err := freeSerial(ctx, tx)
	if err != nil {
		return nil, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO tokens (citizen_id, serial, holder, channel, status, requested_at, last_used_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, citizenID, serial, holder, channel, tokenActive, now.Unix(), now.Unix()).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("insert token: %w", err)
	}
	args := make([]any, 0, 3*len(codes))
	for i, c := range codes {
		args = append(args, id, i+1, p.keys.codeHash(serial, i+1, c))
	}
	if _, err := tx.ExecContext(ctx, insertCodes, args...); err != nil {
		return nil, fmt.Errorf("insert codes: %w", err)
	}
	return &newToken{Serial: serial, Codes: codes, Requested: now, Replaced: revoked > 0}, nil
}

// insertCodes writes a token's codes in one statement: one round trip
// and one plan instead of 24, most of a renewal's database work.
var insertCodes = `INSERT INTO token_codes (token_id, position, hash) VALUES ` +
	strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", CodeCount), ", ")

// freeSerial draws serials until one is unused (10^12 of them: a retry is
// rare, two are rarer still).
func freeSerial(ctx context.Context, tx *store.Tx) (string, error) {
	for range 5 {
		s, err := newSerial()
		if err != nil {
			return "", err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tokens WHERE serial = ?`, s).Scan(&n); err != nil {
			return "", fmt.Errorf("check serial: %w", err)
		}
		if n == 0 {
			return s, nil
		}
	}
	return "", errors.New("no free token serial after 5 draws")
}

// activeToken returns the citizen's active token, or nil.
func activeToken(ctx context.Context, q querier, citizenID int64) (*tokenInfo, error) {
	t := &tokenInfo{}
	var req int64
	err := q.QueryRowContext(ctx, `SELECT id, serial, status, requested_at FROM tokens WHERE citizen_id = ? AND status = ?`,
		citizenID, tokenActive).Scan(&t.ID, &t.Serial, &t.Status, &req)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("active token: %w", err)
	}
	t.Requested = time.Unix(req, 0)
	return t, nil
}

// codeHashAt is the stored hash of an active token's code at position.
func codeHashAt(ctx context.Context, q querier, tokenID int64, position int) ([]byte, error) {
	var h []byte
	err := q.QueryRowContext(ctx, `SELECT hash FROM token_codes WHERE token_id = ? AND position = ?`, tokenID, position).Scan(&h)
	if err != nil {
		return nil, fmt.Errorf("code hash: %w", err)
	}
	return h, nil
}

// UnusedTokenLifetime: an active token not used for this long is
// deactivated by the sweep.
const UnusedTokenLifetime = 12 // months

// Sweep deactivates active tokens not used since 12 months before now
// (a token counts as used when requested). It returns how many it
// deactivated. The portal runs it every Config.SweepInterval.
func (p *Portal) Sweep(ctx context.Context, now time.Time) (int64, error) {
	cutoff := now.AddDate(0, -UnusedTokenLifetime, 0)
	var n int64
	err := p.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE tokens SET status = ?, ended_at = ? WHERE status = ? AND last_used_at < ?`,
			tokenDeactivated, now.Unix(), tokenActive, cutoff.Unix())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("token sweep: %w", err)
	}
	if n > 0 {
		p.log.Info("token sweep", "deactivated", n)
	}
	return n, nil
}

// sweeper runs Sweep (and drops stale sessions) until stop closes.
func (p *Portal) sweeper(stop <-chan struct{}) {
	t := time.NewTicker(p.cfg.SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if _, err := p.Sweep(context.Background(), p.cfg.Clock()); err != nil {
				p.log.Error("token sweep", "err", err)
			}
			if err := p.sess.sweep(context.Background()); err != nil {
				p.log.Error("session sweep", "err", err)
			}
			if err := p.nonces.sweep(context.Background()); err != nil {
				p.log.Error("nonce sweep", "err", err)
			}
			if err := p.idp.Sweep(context.Background()); err != nil {
				p.log.Error("service login sweep", "err", err)
			}
		}
	}
}
