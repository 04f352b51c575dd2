// Package storetest gives tests a fresh database of each dialect: SQLite
// in a temporary directory, and PostgreSQL in a new database on the
// server EIDBRIDGE_TEST_POSTGRES names (scripts/testenv.sh pg-up).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// adminTimeout bounds each statement on the test server, so that a
// server that stops answering fails the test instead of hanging it.
const adminTimeout = 30 * time.Second

// EnvPostgres names the test server, a postgres:// URL.
const EnvPostgres = "EIDBRIDGE_TEST_POSTGRES"

// Run runs f once per dialect, as subtests: "sqlite" with the empty
// URL (SQLite in the test's data directory) and "postgres" with a fresh
// database (see Postgres).
func Run(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, "") })
	t.Run("postgres", func(t *testing.T) { f(t, Postgres(t)) })
}

// Postgres creates an empty database on the test server and returns its
// URL, dropped after the test. Without a server the test is skipped
// loudly, or fails under make test (EIDBRIDGE_PCSC_TESTS=1), which
// always starts one.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		if os.Getenv("EIDBRIDGE_PCSC_TESTS") == "1" {
			t.Fatalf("%s is not set: make test starts PostgreSQL (scripts/testenv.sh pg-up)", EnvPostgres)
		}
		t.Skipf("SKIPPED: %s is not set (scripts/testenv.sh pg-up prints a URL)", EnvPostgres)
	}
	admin := openAdmin(t, base)
	rnd := make([]byte, 6)
	rand.Read(rnd)
	name := "eidbridge_test_" + hex.EncodeToString(rnd)
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop test database: %v", err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	u.Path = "/" + name
	return u.String()
}

// openAdmin connects to the test server; a connection that stalls is
// given up after a few seconds and tried again.
func openAdmin(t testing.TB, base string) *sql.DB {
	t.Helper()
	cfg, err := pgx.ParseConfig(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	cfg.ConnectTimeout = 5 * time.Second
	db := stdlib.OpenDB(*cfg)
	for try := 1; ; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			return db
		}
		if try == 3 {
			t.Fatalf("%s: the test server does not answer: %v", EnvPostgres, err)
		}
		t.Logf("the test server did not answer (%v), trying again", err)
	}
}
