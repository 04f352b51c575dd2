package portal

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"

	_ "modernc.org/sqlite" // pure Go driver: builds with CGO_ENABLED=0
)

// migrations are applied in order, each in its own transaction, and
// recorded in schema_migrations. Never edit one that has shipped: append.
var migrations = []string{
	// 1: citizens, their tokens and codes, counter activations.
	`CREATE TABLE citizens (
		id INTEGER PRIMARY KEY,
		national_number TEXT NOT NULL UNIQUE,
		surname TEXT NOT NULL,
		given_names TEXT NOT NULL,
		street TEXT NOT NULL DEFAULT '',
		zip TEXT NOT NULL DEFAULT '',
		municipality TEXT NOT NULL DEFAULT '',
		lang TEXT NOT NULL DEFAULT 'nl',
		username TEXT UNIQUE,
		password_hash TEXT,
		email TEXT NOT NULL DEFAULT '',
		failed_logins INTEGER NOT NULL DEFAULT 0,
		locked_until INTEGER NOT NULL DEFAULT 0,
		login_position INTEGER NOT NULL DEFAULT 0,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL
	);
	CREATE TABLE tokens (
		id INTEGER PRIMARY KEY,
		citizen_id INTEGER NOT NULL REFERENCES citizens(id),
		serial TEXT NOT NULL UNIQUE,
		holder TEXT NOT NULL,
		channel TEXT NOT NULL CHECK (channel IN ('online', 'counter')),
		status TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'deactivated')),
		requested_at INTEGER NOT NULL,
		last_used_at INTEGER NOT NULL,
		ended_at INTEGER
	);
	CREATE UNIQUE INDEX tokens_one_active ON tokens(citizen_id) WHERE status = 'active';
	CREATE INDEX tokens_last_used ON tokens(last_used_at) WHERE status = 'active';
	CREATE TABLE token_codes (
		token_id INTEGER NOT NULL REFERENCES tokens(id),
		position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 24),
		hash BLOB NOT NULL,
		PRIMARY KEY (token_id, position)
	) WITHOUT ROWID;
	CREATE TABLE activations (
		id INTEGER PRIMARY KEY,
		citizen_id INTEGER NOT NULL REFERENCES citizens(id),
		link_hash BLOB NOT NULL UNIQUE,
		code_hash BLOB NOT NULL,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		used_at INTEGER,
		failures INTEGER NOT NULL DEFAULT 0
	);`,
	// One password check in flight per account (login.go, claimCheck).
	`ALTER TABLE citizens ADD COLUMN checking_until INTEGER NOT NULL DEFAULT 0;`,
	// Sessions end when the citizen's token, password or data change
	// (session_epoch.go).
	`ALTER TABLE citizens ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;`,
	// A desk registration's identity, address, e-mail and language wait
	// here (JSON) until the activation (counter.go).
	`ALTER TABLE activations ADD COLUMN person TEXT NOT NULL DEFAULT '';`,
	// Desk officers log in with their own eID; each registration names
	// the officer who made it (officers.go).
	`CREATE TABLE officers (
		id INTEGER PRIMARY KEY,
		national_number TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		added_at INTEGER NOT NULL,
		removed_at INTEGER
	);
	ALTER TABLE activations ADD COLUMN officer_id INTEGER REFERENCES officers(id);`,
}

// openDB opens (creating) DataDir/portal.db: WAL so that readers never
// wait for the writer, immediate transactions so that two writers queue
// on the busy timeout instead of failing to upgrade a read lock.
func openDB(ctx context.Context, dir string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + filepath.ToSlash(filepath.Join(dir, "portal.db")) + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(8)
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrate brings the schema to the latest version.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	var have int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this program (%d)", have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		err := inTx(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, v)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return nil
}

// inTx runs f in a transaction, committing when it returns nil.
func inTx(ctx context.Context, db *sql.DB, f func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
