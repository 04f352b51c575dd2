package portal

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
	"github.com/eidbridge/eidbridge/verify"
)

// dbNonces is the verify.NonceStore of the portal: challenge nonces in
// the database, so that the instance that checks a proof need not be the
// one that issued its challenge. A nonce is taken with one DELETE …
// RETURNING: of two instances presented the same nonce, one gets the
// row, the other nothing.
type dbNonces struct {
	db         *store.DB
	now        func() time.Time
	perSession int // a new nonce beyond this forgets the session's oldest
}

var _ verify.NonceStore = (*dbNonces)(nil)

// Issue stores a fresh nonce for the session (held as its hash, like the
// session itself).
func (s *dbNonces) Issue(sessionID string) (string, error) {
	if sessionID == "" {
		return "", fmt.Errorf("%w: empty session ID", verify.ErrNonce)
	}
	var b [verify.NonceBytes]byte
	rand.Read(b[:])
	nonce := base64.StdEncoding.EncodeToString(b[:])
	ctx, sess := context.Background(), sessionKey(sessionID)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO nonces (nonce, session, expires_at) VALUES (?, ?, ?)`,
			nonce, sess, s.now().Add(verify.NonceLifetime).UnixMilli()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM nonces WHERE session = ? AND id NOT IN
			(SELECT id FROM nonces WHERE session = ? ORDER BY id DESC LIMIT ?)`, sess, sess, s.perSession)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("issue a nonce: %w", err)
	}
	return nonce, nil
}

// Consume takes the nonce whatever the outcome once it is found, as
// verify.MemoryNonceStore does: one presented by the wrong session may
// have leaked.
func (s *dbNonces) Consume(sessionID, nonce string) error {
	if err := verify.CheckNonceSyntax(nonce); err != nil {
		return err
	}
	var sess string
	var expires int64
	err := s.db.QueryRowContext(context.Background(), `DELETE FROM nonces WHERE nonce = ? RETURNING session, expires_at`,
		nonce).Scan(&sess, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return verify.ErrNonceUnknown
	case err != nil:
		return fmt.Errorf("consume a nonce: %w", err)
	case subtle.ConstantTimeCompare([]byte(sess), []byte(sessionKey(sessionID))) != 1:
		return verify.ErrNonceWrongSession
	}
	if now, exp := s.now(), time.UnixMilli(expires); !now.Before(exp) {
		return fmt.Errorf("%w %s ago", verify.ErrNonceExpired, now.Sub(exp).Round(time.Second))
	}
	return nil
}

// Outstanding counts the unexpired nonces, for tests and metrics.
func (s *dbNonces) Outstanding() int {
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM nonces WHERE expires_at > ?`, s.now().UnixMilli()).Scan(&n)
	return n
}

// sweep drops expired nonces.
func (s *dbNonces) sweep(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM nonces WHERE expires_at <= ?`, s.now().UnixMilli()); err != nil {
		return fmt.Errorf("sweep nonces: %w", err)
	}
	return nil
}

// sharedKey is the random key named name, created by the first instance
// to ask and read by every other: the CSRF tokens one instance derives
// must check at all.
func sharedKey(ctx context.Context, db *store.DB, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	rand.Read(fresh)
	if _, err := db.ExecContext(ctx, `INSERT INTO portal_keys (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		name, fresh); err != nil {
		return nil, fmt.Errorf("key %s: %w", name, err)
	}
	var key []byte
	if err := db.QueryRowContext(ctx, `SELECT value FROM portal_keys WHERE name = ?`, name).Scan(&key); err != nil {
		return nil, fmt.Errorf("key %s: %w", name, err)
	}
	return key, nil
}
