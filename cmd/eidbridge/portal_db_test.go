package main

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

// Officers added through one data directory are seen through another
// when both name the same PostgreSQL database: the state is the
// database's, not the instance's.
func TestPortalOfficersOnPostgres(t *testing.T) {
	db := storetest.Postgres(t)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	mustRun(t, "portal", "officer", "add", "--data", a, "--db", db, "85.03.14-865.36", "Jan Peeters")
	if out := mustRun(t, "portal", "officer", "list", "--data", b, "--db", db); !strings.Contains(out, "85031486536  Jan Peeters") {
		t.Errorf("list at another instance: %q", out)
	}
	if out := mustRun(t, "portal", "officer", "list", "--data", b); out != "" {
		t.Errorf("without --db the data directory's own SQLite database: %q", out)
	}
	if r := runBin(t, "portal", "officer", "list", "--db", "mysql://db/portal"); r.code == 0 || !strings.Contains(r.stderr, "postgres://") {
		t.Errorf("a database that is not PostgreSQL: exit %d, %q", r.code, r.stderr)
	}
}

// Two `eidbridge portal` processes started at once on one PostgreSQL
// database: both migrate (taking turns) and serve, and a form one
// instance served is accepted by the other, whose CSRF key is the same.
func TestPortalProcessesShareOnePostgres(t *testing.T) {
	db := storetest.Postgres(t)
	dir := t.TempDir()
	trust := writeTestRoot(t, dir)
	origin := "http://" + portalAddr(t)
	var addrs [2]string
	for i := range addrs {
		addrs[i] = portalAddr(t)
		cmd := exec.Command(e2eBin, "portal", "--db", db, "--data", filepath.Join(dir, "data"), "--addr", addrs[i],
			"--origin", origin, "--trust", trust, "--revocation", "off")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(os.Interrupt)
			cmd.Wait()
			if t.Failed() {
				t.Logf("instance %d:\n%s", i, stderr.String())
			}
		})
	}
	for _, a := range addrs {
		portalListening(t, a)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	page := portalDo(t, c, addrs[0], origin, http.MethodGet, "/login", nil)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no CSRF token in the login page of instance 1: %d", page.status)
	}
	form := url.Values{"csrf": {m[1]}, "username": {"nobody"}, "password": {"not a password at all"}}
	if r := portalDo(t, c, addrs[1], origin, http.MethodPost, "/login", form); r.status != http.StatusUnauthorized {
		t.Fatalf("instance 2 answered the form of instance 1 with %d, want 401 (a wrong login, not a CSRF refusal)", r.status)
	}
}
