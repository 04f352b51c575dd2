package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Migration is one schema version, written for each dialect. Never edit
// one that has shipped: append.
type Migration struct {
	SQLite, Postgres string
}

// migrationLock is the PostgreSQL advisory lock key under which instances
// starting together migrate one after the other ("eidbrdg" in ASCII).
const migrationLock = 0x6569_6462_7264_67

// Migrate brings the schema to the latest version, each migration in its
// own transaction recorded in schema_migrations. Instances starting at
// once take turns: on PostgreSQL under an advisory lock, on SQLite under
// the write lock of each (immediate) transaction; each re-reads the
// version inside its turn, so none applies a migration twice.
func (db *DB) Migrate(ctx context.Context, ms []Migration) error {
	conn, err := db.sql.Conn(ctx) // the advisory lock belongs to a session
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if db.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	}
	if _, err := conn.ExecContext(ctx, db.migrationsTable()); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	var have int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if have > len(ms) {
		return fmt.Errorf("database schema version %d is newer than this program (%d)", have, len(ms))
	}
	for v := 1; v <= len(ms); v++ {
		if err := db.apply(ctx, conn, v, ms[v-1]); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return nil
}

func (db *DB) migrationsTable() string {
	if db.dialect == Postgres {
		return `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP)`
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`
}

// apply runs migration v unless the database already has it; a database
// newer than the program is refused.
func (db *DB) apply(ctx context.Context, conn *sql.Conn, v int, m Migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	if have >= v {
		return nil
	}
	text := m.SQLite
	if db.dialect == Postgres {
		text = m.Postgres
	}
	if _, err := tx.ExecContext(ctx, text); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, rebind(db.dialect, `INSERT INTO schema_migrations (version) VALUES (?)`), v); err != nil {
		return err
	}
	return tx.Commit()
}

// Version is the schema version the database is at.
func (db *DB) Version(ctx context.Context) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
