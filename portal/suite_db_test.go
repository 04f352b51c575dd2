package portal

import (
	"os"
	"testing"

	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

// envSuiteOnPostgres runs the whole suite on PostgreSQL (a fresh database
// a test) instead of SQLite: EIDBRIDGE_TEST_PORTAL_POSTGRES=1 together
// with EIDBRIDGE_TEST_POSTGRES. make test runs the suite both ways.
const envSuiteOnPostgres = "EIDBRIDGE_TEST_PORTAL_POSTGRES"

func suiteDatabase(t testing.TB) string {
	if os.Getenv(envSuiteOnPostgres) != "1" {
		return ""
	}
	return storetest.Postgres(t)
}
