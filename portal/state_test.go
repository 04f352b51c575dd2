package portal

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// onlineAccount creates user1's account and returns the token's codes.
func onlineAccount(t *testing.T, e *env) map[int]string {
	t.Helper()
	if r := e.browser().requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1); r.path != "/request/sent" {
		t.Fatalf("online request: %s", r.path)
	}
	return e.last().codes(t)
}

func TestLockAfterFailures(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.MaxLoginFailures = 3; c.LockDuration = time.Hour })
	codes := onlineAccount(t, e)
	b := e.browser()
	right := func(p int) string { return codes[p] }
	e.browser().login(user1, "wrong password 1", right)
	e.browser().login(user1, pass1, func(p int) string { return wrong(codes[p]) })
	e.browser().login(user1, "wrong password 2", right) // third failure: locked
	if r, _ := b.login(user1, pass1, right); r.path == "/me" || !b.shows(r, "err.login") {
		t.Fatalf("locked account: %d %s", r.status, r.path)
	}
	e.clock.add(time.Hour)
	if r, _ := b.login(user1, pass1, right); r.path != "/me" {
		t.Fatalf("after the lock: %d %s", r.status, r.path)
	}
	// An eID proof unlocks at once (and issues a new token).
	for range 3 {
		e.browser().login(user1, "wrong password", right)
	}
	if r, _ := e.browser().login(user1, pass1, right); r.path == "/me" { // b is the citizen's now (device.go)
		t.Fatalf("locked again: %d %s", r.status, r.path)
	}
	e.browser().requestOnline(loadCard(t, "citizen-1.8"), "", "", "")
	codes = e.last().codes(t)
	if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("after an eID proof: %s", r.path)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.LoginRate = 0.001; c.LoginBurst = 2 })
	b := e.browser()
	var last resp
	for range 3 {
		last, _ = b.login("nobody", "whatever", func(int) string { return "" })
	}
	if last.status != http.StatusTooManyRequests || !b.shows(last, "err.rate") {
		t.Fatalf("third login in a burst of 2: %d", last.status)
	}
}

func TestSweepDeactivatesUnusedTokens(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	codes := onlineAccount(t, e)
	start := e.clock.now()
	e.clock.addDate(0, 6, 0) // used after 6 months: kept until 18
	if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatal("login at 6 months")
	}
	ctx := context.Background()
	if n, err := e.p.Sweep(ctx, start.AddDate(0, 13, 0)); n != 0 || err != nil {
		t.Fatalf("sweep at 13 months deactivated %d (%v)", n, err)
	}
	if n, err := e.p.Sweep(ctx, start.AddDate(0, 18, 1)); n != 1 || err != nil {
		t.Fatalf("sweep at 18 months deactivated %d (%v)", n, err)
	}
	r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] })
	if r.path == "/me" || !e.browser().shows(r, "err.notoken") {
		t.Fatalf("deactivated token: %s", r.path)
	}
}

func TestSweeperRuns(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.SweepInterval = 10 * time.Millisecond })
	onlineAccount(t, e)
	e.clock.addDate(1, 0, 1)
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		e.p.db.QueryRow(`SELECT COUNT(*) FROM tokens WHERE status = 'deactivated'`).Scan(&n)
		if n == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the periodic sweep did not deactivate the token")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConcurrentRequestsLeaveOneActiveToken(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.MaxLoginFailures = 100 })
	onlineAccount(t, e)
	c := loadCard(t, "citizen-1.8")
	const n = 8
	proofs := make([]eidProof, n)
	browsers := make([]*browser, n)
	for i := range n {
		browsers[i] = e.browser()
		proofs[i] = browsers[i].proof(c)
	}
	var wg sync.WaitGroup
	status := make([]int, n)
	for i := range n {
		wg.Go(func() { status[i], _ = browsers[i].send(proofs[i]) })
	}
	wg.Wait()
	for i, s := range status {
		if s != 200 {
			t.Errorf("request %d: %d", i, s)
		}
	}
	e.countRows(map[string]int{"tokens": n + 1, "citizens": 1})
	var active int
	e.p.db.QueryRow(`SELECT COUNT(*) FROM tokens WHERE status = 'active'`).Scan(&active)
	if active != 1 {
		t.Fatalf("%d active tokens", active)
	}
	// Exactly one of the mailed tokens works.
	works := 0
	for _, m := range e.outbox() {
		codes := m.codes(t)
		if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path == "/me" {
			works++
		}
	}
	if works != 1 {
		t.Fatalf("%d of %d tokens log in", works, n+1)
	}
}

func TestDataSurvivesRestart(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	codes := onlineAccount(t, e)
	code, link := e.register(desk("85031486536"))
	if err := e.p.Close(); err != nil {
		t.Fatal(err)
	}
	e.start()
	if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login after restart: %s", r.path)
	}
	b := e.browser()
	if r := b.submit(link, link, activationForm(code, "jan", "a good password")); r.path != "/request/sent" {
		t.Fatalf("activation after restart: %d %s", r.status, r.path)
	}
	var version int
	e.p.db.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&version)
	if version != len(migrations) {
		t.Errorf("schema version %d, want %d", version, len(migrations))
	}
}

func TestMailbox(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	if r := b.get("/mailbox"); r.status != 200 || !b.shows(r, "mailbox.empty") {
		t.Fatalf("empty mailbox: %d", r.status)
	}
	onlineAccount(t, e)
	m := e.last()
	r := b.get("/mailbox")
	if !strings.Contains(r.body, "/mailbox/"+m.name) || !strings.Contains(r.body, mail1) {
		t.Fatalf("mailbox lacks %s", m.name)
	}
	if r := b.get("/mailbox/" + m.name); r.status != 200 || !strings.Contains(r.body, m.codes(t)[24]) {
		t.Fatalf("message: %d", r.status)
	}
	for _, bad := range []string{"..%2fportal.db", "code-key", strings.Replace(m.name, "mail", "x", 1)} {
		if r := b.get("/mailbox/" + bad); r.status != http.StatusNotFound {
			t.Errorf("%s: %d", bad, r.status)
		}
	}
	smtp := newEnv(t, "citizen-1.8", func(c *Config) { c.SMTP = &SMTP{Addr: "127.0.0.1:1"} })
	if r := smtp.browser().get("/mailbox"); r.status != http.StatusNotFound {
		t.Errorf("mailbox with SMTP configured: %d", r.status)
	}
}

// TestNoIdentityInLogs runs every flow, refusals included, and looks for
// the citizens' data in the log.
func TestNoIdentityInLogs(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	c := loadCard(t, "citizen-1.8")
	codes := onlineAccount(t, e)
	e.browser().login(user1, pass1, func(p int) string { return codes[p] })
	e.browser().login(user1, pass1, func(p int) string { return wrong(codes[p]) })
	b := e.browser()
	p := b.proof(c)
	p.identity = loadCard(t, "foreigner-1.8").files
	b.send(p)
	code, link := e.register(desk("85031486536"))
	e.browser().submit(link, link, activationForm(code, "jan", "a good password"))
	logs := e.logs.String()
	if !strings.Contains(logs, "token issued") || !strings.Contains(logs, "event=eid.refused") {
		t.Fatalf("the flows were not logged:\n%s", logs)
	}
	for _, secret := range []string{"79080226433", "Dubois", "Marie", "Namur", "85031486536", "Peeters", "Kerkstraat",
		"90122461359", "Jansen", pass1, codes[1], code} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q:\n%s", secret, logs)
		}
	}
}
