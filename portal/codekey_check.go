package portal

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/portal/store"
)

// errCodeKeyMismatch: this instance's code key is not the one the
// database's codes were hashed under.
var errCodeKeyMismatch = errors.New("the code key in the data directory is not the one this database's " +
	"token codes were made with: copy " + keyFile + " from another instance's data directory")

// checkCodeKey refuses to serve with a code key other than the one the
// database was first used with: an instance started with a fresh data
// directory would otherwise make a key of its own, and the codes it
// mails would fail at every other instance. The database keeps only an
// HMAC under the key, which reveals nothing of it.
func checkCodeKey(ctx context.Context, db *store.DB, h codeHasher) error {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("eidbridge portal code key check"))
	mine := m.Sum(nil)
	if _, err := db.ExecContext(ctx, `INSERT INTO portal_keys (name, value) VALUES ('code-key-check', ?)
		ON CONFLICT (name) DO NOTHING`, mine); err != nil {
		return fmt.Errorf("code key check: %w", err)
	}
	var stored []byte
	if err := db.QueryRowContext(ctx, `SELECT value FROM portal_keys WHERE name = 'code-key-check'`).Scan(&stored); err != nil {
		return fmt.Errorf("code key check: %w", err)
	}
	if !hmac.Equal(stored, mine) {
		return errCodeKeyMismatch
	}
	return nil
}
