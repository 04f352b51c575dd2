// Package store is the portal's database seam: one *sql.DB on either
// SQLite (embedded, the default) or PostgreSQL (several instances on one
// database). Queries are written once with ? placeholders and rebound for
// the dialect; the few statements that differ ask the dialect.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
)

// Dialect names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is a database of either dialect. Its methods take ?-placeholder
// queries.
type DB struct {
	sql     *sql.DB
	dialect string
}

// Open opens dsn: a postgres:// or postgresql:// URL, or, when dsn is
// empty, the SQLite database portal.db in dir.
func Open(ctx context.Context, dsn, dir string) (*DB, error) {
	var (
		db  *DB
		err error
	)
	switch {
	case dsn == "":
		db, err = openSQLite(ctx, filepath.Join(dir, "portal.db"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err = openPostgres(ctx, dsn)
	default:
		return nil, fmt.Errorf("database %q: want a postgres:// URL, or none for SQLite", redact(dsn))
	}
	if err != nil {
		return nil, err
	}
	return db, nil
}

// Dialect is SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// SQL is the underlying pool, for what this package does not wrap.
func (db *DB) SQL() *sql.DB { return db.sql }

// Close closes the pool.
func (db *DB) Close() error { return db.sql.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

func (db *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.sql.ExecContext(ctx, rebind(db.dialect, q), args...)
}

func (db *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.sql.QueryContext(ctx, rebind(db.dialect, q), args...)
}

func (db *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return db.sql.QueryRowContext(ctx, rebind(db.dialect, q), args...)
}

// Exec and QueryRow run without a context (tests, shutdown paths).
func (db *DB) Exec(q string, args ...any) (sql.Result, error) {
	return db.ExecContext(context.Background(), q, args...)
}

func (db *DB) QueryRow(q string, args ...any) *sql.Row {
	return db.QueryRowContext(context.Background(), q, args...)
}

// BeginTx starts a transaction. On SQLite it takes the write lock at once
// (immediate); on PostgreSQL it is READ COMMITTED, and statements that
// must see one another's writes take row locks (ForUpdate) or are single
// conditional updates.
func (db *DB) BeginTx(ctx context.Context, opts *sql.TxOptions) (*Tx, error) {
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, dialect: db.dialect}, nil
}

// InTx runs f in a transaction, committing when it returns nil.
func (db *DB) InTx(ctx context.Context, f func(*Tx) error) error {
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

// ForUpdate is the suffix that locks the rows a SELECT reads until the
// transaction ends: PostgreSQL's FOR UPDATE; nothing on SQLite, whose
// immediate transactions already hold the one write lock.
func (db *DB) ForUpdate() string { return forUpdate(db.dialect) }

func forUpdate(dialect string) string {
	if dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// SkipLocked is the suffix of a queue's claiming SELECT: on PostgreSQL
// rows another worker is claiming are passed over rather than waited for;
// nothing on SQLite, where claims take turns on the write lock anyway.
func (db *DB) SkipLocked() string {
	if db.dialect == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// Tx is a transaction of either dialect.
type Tx struct {
	tx      *sql.Tx
	dialect string
}

func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, rebind(t.dialect, q), args...)
}

func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, rebind(t.dialect, q), args...)
}

func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, rebind(t.dialect, q), args...)
}

func (t *Tx) Exec(q string, args ...any) (sql.Result, error) {
	return t.ExecContext(context.Background(), q, args...)
}

// ForUpdate is DB.ForUpdate for the transaction's dialect.
func (t *Tx) ForUpdate() string { return forUpdate(t.dialect) }

func (t *Tx) Commit() error   { return t.tx.Commit() }
func (t *Tx) Rollback() error { return t.tx.Rollback() }
