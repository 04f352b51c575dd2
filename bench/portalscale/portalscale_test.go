//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

var eidbridgeBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "portalscale-test-")
	if err != nil {
		panic(err)
	}
	eidbridgeBin = filepath.Join(dir, "eidbridge")
	if out, err := exec.Command("go", "build", "-o", eidbridgeBin, "../../cmd/eidbridge").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		panic("building eidbridge: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// short is a run long enough to see every step work, not to measure.
func short(op, db string, instances int) config {
	return config{bin: eidbridgeBin, db: db, op: op, instances: instances, clients: 1,
		duration: 500 * time.Millisecond, pin: false}
}

// wantWork checks a run did operations and saw the instances' CPU.
func wantWork(t *testing.T, r result, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if r.ops == 0 || r.p50 <= 0 || r.p99 < r.p50 || r.cpuInstances <= 0 {
		t.Errorf("%s: want operations, latencies and the instances' CPU time", r)
	}
}

// Logins and renewals run through a real portal on SQLite: the accounts
// are made by online requests, their codes read from the outbox.
func TestSQLiteLoginAndRenewal(t *testing.T) {
	for _, op := range []string{"login", "renewal"} {
		r, err := run(short(op, "", 1))
		wantWork(t, r, err)
		if r.backend != "sqlite" || !strings.HasSuffix(r.unit, "s/s") {
			t.Errorf("%s: backend %q, unit %q", op, r.backend, r.unit)
		}
	}
}

// Two instances on one PostgreSQL database, requests in turn: a login
// and a renewal hop between them at every request.
func TestPostgresTwoInstances(t *testing.T) {
	db := storetest.Postgres(t) // the run makes and drops a database of its own under this one's server
	for _, op := range []string{"login", "renewal"} {
		r, err := run(short(op, db, 2))
		wantWork(t, r, err)
	}
}

// Bad flags are refused before anything starts, each with its reason.
func TestFlagsChecked(t *testing.T) {
	ok := short("login", "", 1)
	for _, c := range []struct {
		mod  func(*config)
		want string
	}{
		{func(c *config) { c.bin = "" }, "-eidbridge"},
		{func(c *config) { c.op = "logout" }, "login or renewal"},
		{func(c *config) { c.instances = 0 }, "at least 1"},
		{func(c *config) { c.instances = 2 }, "shared database"},
		{func(c *config) { c.duration = 0 }, "-duration"},
	} {
		bad := ok
		c.mod(&bad)
		if err := bad.check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one about %q", bad, err, c.want)
		}
	}
	if err := ok.check(); err != nil {
		t.Errorf("good flags refused: %v", err)
	}
}
