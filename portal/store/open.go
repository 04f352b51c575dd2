package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // pure Go, like modernc.org/sqlite
	_ "modernc.org/sqlite"
)

// openSQLite opens (creating) the file: WAL so that readers never wait
// for the writer, immediate transactions so that two writers queue on
// the busy timeout instead of failing to upgrade a read lock.
func openSQLite(path string) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
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
	return &DB{sql: db, dialect: SQLite}, nil
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
