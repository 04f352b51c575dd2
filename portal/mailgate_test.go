package portal

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// timed is a response and how long it took.
type timed struct {
	r    resp
	took time.Duration
}

// TestMailStallKeepsWritersGoing: while the mail server stalls, one
// registration holds the write lock for one SMTP exchange; the others
// are told at once that the mail could not go out, and a login, which
// writes too, waits for the lock instead of failing with SQLITE_BUSY.
// Without the gate the fourth registration would queue 3 × smtpTimeout
// (12 s) on the lock, past the busy timeout (10 s).
func TestMailStallKeepsWritersGoing(t *testing.T) {
	defer func(d time.Duration) { smtpTimeout = d }(smtpTimeout)
	smtpTimeout = 4 * time.Second
	srv, e := smtpEnv(t, "", "")
	e.p.gate.wait = 200 * time.Millisecond
	card := loadCard(t, "citizen-1.8")
	e.browser().requestOnline(card, user1, pass1, mail1)
	codes := readMail(t, e, onlyMail(t, srv), mail1, e.p.cats["nl"].T("mail.token.subject")).codes(t)
	srv.setFault(faultStall)

	const n = 4
	desks := make([]*browser, n)
	for i := range desks {
		desks[i] = e.officer()
		desks[i].get("/officer")
	}
	got := make([]timed, n)
	var wg sync.WaitGroup
	register := func(i int) {
		form := desk("85031486536")
		form.Set("csrf", desks[i].csrf())
		wg.Go(func() {
			start := time.Now()
			r := desks[i].post("/officer/register", form)
			got[i] = timed{r, time.Since(start)}
		})
	}
	register(0)
	waitFor(t, "the first registration's SMTP connection", func() bool { return srv.connections() == 2 })
	for i := 1; i < n; i++ {
		register(i)
	}
	login, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] })
	wg.Wait()

	for i, g := range got {
		if g.r.status != http.StatusServiceUnavailable || !desks[i].shows(g.r, "err.mail.failed.desk") {
			t.Errorf("registration %d: %d, want 503 with err.mail.failed.desk:\n%s", i, g.r.status, g.r.body)
		}
		if i > 0 && g.took >= smtpTimeout {
			t.Errorf("registration %d waited %v for the stalled one", i, g.took)
		}
	}
	if login.path != "/me" {
		t.Errorf("login during the stall: %d at %s", login.status, login.path)
	}
	if s := firstIn(e.logs.String(), "SQLITE_BUSY", "database is locked"); s != "" {
		t.Errorf("the log says %q:\n%s", s, e.logs.String())
	}
	if c := srv.connections(); c != 2 {
		t.Errorf("%d SMTP connections, want 2 (the first request and registration 0)", c)
	}
	e.countRows(map[string]int{"citizens": 1, "activations": 0})
}

// TestMailBreaker: after a stalled exchange, registrations are refused
// for the breaker's window without an SMTP connection and without the
// database (whose write lock the test holds meanwhile); then mail goes
// out again.
func TestMailBreaker(t *testing.T) {
	defer func(d time.Duration) { smtpTimeout = d }(smtpTimeout)
	smtpTimeout = 200 * time.Millisecond
	srv, e := smtpEnv(t, "", "")
	gateClock := &clock{t: time.Now()}
	e.p.gate.now = gateClock.now
	officer := e.officer()
	form := desk("85031486536")

	srv.setFault(faultStall)
	r := officer.submit("/officer", "/officer/register", form)
	told(t, officer, r, "nl", http.StatusServiceUnavailable, "err.mail.failed.desk")
	srv.setFault(faultNone)

	lock, err := e.p.db.BeginTx(context.Background(), nil) // immediate: the write lock
	if err != nil {
		t.Fatal(err)
	}
	r = registerUnwaited(t, officer, form, "a registration with the breaker open")
	lock.Rollback()
	told(t, officer, r, "nl", http.StatusServiceUnavailable, "err.mail.failed.desk")
	if c := srv.connections(); c != 1 {
		t.Errorf("%d SMTP connections with the breaker open, want 1", c)
	}
	if !strings.Contains(e.logs.String(), "mail server unreachable") {
		t.Errorf("the log does not say why mail is refused:\n%s", e.logs.String())
	}
	e.countRows(map[string]int{"activations": 0})

	gateClock.add(e.p.gate.window)
	if r := officer.submit("/officer", "/officer/register", form); !activationCodeRE.MatchString(r.body) {
		t.Errorf("after the window: %d\n%s", r.status, r.body)
	}
	e.countRows(map[string]int{"activations": 1})
	onlyMail(t, srv)
}

// waitFor polls cond until it holds, failing after a generous while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("waiting for %s: timed out", what)
		}
	}
}

// registerUnwaited posts a desk registration that must be answered
// without waiting for the database (whose write lock the test holds).
func registerUnwaited(t *testing.T, officer *browser, form url.Values, what string) resp {
	t.Helper()
	officer.get("/officer")
	form.Set("csrf", officer.csrf())
	done := make(chan resp, 1)
	go func() { done <- officer.post("/officer/register", form) }()
	select {
	case r := <-done:
		return r
	case <-time.After(5 * time.Second): // under the busy timeout: the request is waiting for the lock
		t.Fatalf("%s waits for the database", what)
	}
	return resp{}
}
