package portal

import (
	"net/http"
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

// TestMailStallHoldsUpOnePage: while the mail server stalls, one
// registration waits for its exchange (smtpTimeout); the others are
// recorded and answered at once, their mail left queued, and a login
// goes through meanwhile. Once the server answers again, a round of the
// worker sends each queued mail once. Without the gate's slot, every
// registration would wait smtpTimeout.
func TestMailStallHoldsUpOnePage(t *testing.T) {
	defer func(d time.Duration) { smtpTimeout = d }(smtpTimeout)
	smtpTimeout = 2 * time.Second
	srv, e := smtpEnv(t, "", "")
	gateClock := &clock{t: time.Now()}
	e.p.gate.now = gateClock.now
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
		form := desk("85031486536") // one citizen at several desks: each registration replaces the last
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
		if g.r.status != http.StatusOK || !activationCodeRE.MatchString(g.r.body) {
			t.Errorf("registration %d during the stall: %d\n%s", i, g.r.status, g.r.body)
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
	e.countRows(map[string]int{"activations": n})

	srv.setFault(faultNone)
	gateClock.add(e.p.gate.window)
	e.clock.add(retryWait(1))
	if sent := e.drainMail() + e.drainMail(); sent != n {
		t.Errorf("%d mails sent once the server answers, want %d", sent, n)
	}
	if mails, _ := srv.received(); len(mails) != 1+n {
		t.Errorf("%d mails received in all, want %d", len(mails), 1+n)
	}
	e.countRows(map[string]int{"outbox": 0})
}

// TestMailBreaker: after a stalled exchange, no mail is tried for the
// breaker's window, neither by the requests, which are recorded and
// answered at once, nor by the worker; then the queued mail goes out.
func TestMailBreaker(t *testing.T) {
	defer func(d time.Duration) { smtpTimeout = d }(smtpTimeout)
	smtpTimeout = 200 * time.Millisecond
	srv, e := smtpEnv(t, "", "")
	gateClock := &clock{t: time.Now()}
	e.p.gate.now = gateClock.now
	officer := e.officer()

	srv.setFault(faultStall)
	if r := officer.submit("/officer", "/officer/register", desk("85031486536")); !activationCodeRE.MatchString(r.body) {
		t.Fatalf("registration with the server stalled: %d", r.status)
	}
	srv.setFault(faultNone)
	start := time.Now()
	if r := officer.submit("/officer", "/officer/register", desk("85031486536")); !activationCodeRE.MatchString(r.body) {
		t.Fatalf("registration with the breaker open: %d", r.status)
	}
	if took := time.Since(start); took >= smtpTimeout {
		t.Errorf("registration with the breaker open took %v", took)
	}
	e.clock.add(letterRetryMax) // the mails are due: the breaker alone holds them
	if n := e.drainMail(); n != 0 || srv.connections() != 1 {
		t.Errorf("with the breaker open: %d sent, %d SMTP connections, want 0 and 1", n, srv.connections())
	}
	if !strings.Contains(e.logs.String(), "mail server unreachable") {
		t.Errorf("the log does not say why mail is held:\n%s", e.logs.String())
	}

	gateClock.add(e.p.gate.window)
	if n := e.drainMail(); n != 2 {
		t.Errorf("after the window: %d sent, want 2", n)
	}
	e.countRows(map[string]int{"activations": 2, "outbox": 0})
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
