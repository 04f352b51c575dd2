package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // pure Go, like modernc.org/sqlite
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// openSQLite opens (creating) the file: WAL so that readers never wait
// for the writer, immediate transactions so that two writers queue on
// the busy timeout instead of failing to upgrade a read lock.
func openSQLite(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8) // keep them: each has its page cache and prepared statements
	if err := firstSQLiteConn(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return &DB{sql: db, dialect: SQLite}, nil
}

// sqliteBusyTimeout is how long a statement waits for another's lock.
const sqliteBusyTimeout = 10 * time.Second

// firstSQLiteConn connects once, again while the answer is SQLITE_BUSY,
// within the busy timeout. A new file's switch to WAL takes the whole
// file, and SQLite answers BUSY at once, without the busy timeout, to an
// instance connecting meanwhile (seen as "migrate: database is locked"
// when instances start together); once switched, the file stays in WAL
// mode and connections open at once.
func firstSQLiteConn(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(sqliteBusyTimeout)
	for {
		err := db.PingContext(ctx)
		var e *sqlite.Error
		if err == nil || !errors.As(err, &e) || e.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Pool sizes for PostgreSQL: enough for the hash slots' logins and the
// mail workers of one instance, few enough that tens of instances stay
// under the server's max_connections (100 by default). All may stay
// idle: one closed after a burst is a new server process at the next
// (fork, catalogue caches, every statement prepared again), which made
// the database's CPU per renewal 2.5 times as much under load
// (bench/portalscale).
const (
	pgMaxOpen = 8
	pgMaxIdle = pgMaxOpen
)

// openPostgres connects through pgx's database/sql driver and checks the
// server answers; statement_timeout keeps a stuck lock from holding a
// request for ever.
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database URL %s: %w", redact(dsn), err)
	}
	if _, ok := cfg.RuntimeParams["statement_timeout"]; !ok {
		cfg.RuntimeParams["statement_timeout"] = "30s"
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(pgMaxOpen)
	db.SetMaxIdleConns(pgMaxIdle)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", redact(dsn), err)
	}
	return &DB{sql: db, dialect: Postgres}, nil
}

// redact hides a URL's password, for errors and logs.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
