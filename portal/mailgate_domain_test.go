package portal

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMailBreakerPerDomain: the relay falls silent at RCPT TO for one
// domain. The registration there is recorded, its mail queued; a token
// mail to another domain then goes out at once; mail to the stalled
// domain is not tried, by requests or the worker, until its window has
// passed, and then goes out.
func TestMailBreakerPerDomain(t *testing.T) {
	defer func(d time.Duration) { smtpTimeout = d }(smtpTimeout)
	smtpTimeout = time.Second
	srv, e := smtpEnv(t, "", "")
	gateClock := &clock{t: time.Now()}
	e.p.gate.now = gateClock.now
	srv.stallAt("stall.example")
	const stalled, okMail = "jan@stall.example", "marie@ok.example"

	officer := e.officer()
	form := desk("85031486536")
	form.Set("email", stalled)
	registered(t, officer, form, "a registration for the stalled domain")
	if got := srv.recipients(); !slices.Equal(got, []string{stalled}) {
		t.Fatalf("RCPT TO received %q, want the stalled address", got)
	}

	b := e.browser()
	b.get("/?lang=en")
	start := time.Now()
	r := b.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, okMail)
	if took := time.Since(start); r.path != "/request/sent" || took >= smtpTimeout {
		t.Fatalf("token mail to another domain after the stall: %d at %s in %v\n%s", r.status, r.path, took, r.body)
	}
	codes := readMail(t, e, onlyMail(t, srv), okMail, e.p.cats["en"].T("mail.token.subject")).codes(t)
	if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Errorf("the mailed codes do not log in: %s", r.path)
	}

	conns := srv.connections()
	form.Set("email", "jan@Stall.EXAMPLE") // the same domain
	start = time.Now()
	registered(t, officer, form, "a registration for the stalled domain with its breaker open")
	if took := time.Since(start); took >= smtpTimeout {
		t.Errorf("mail to the stalled domain took %v with its breaker open", took)
	}
	e.clock.add(letterRetryMax) // due: only the breaker holds them
	if n := e.drainMail(); n != 0 || srv.connections() != conns {
		t.Errorf("%d sent, %d SMTP connections for the stalled domain with its breaker open", n, srv.connections()-conns)
	}
	if pending, _ := e.outboxRows(); pending != 2 {
		t.Errorf("%d mails queued, want the stalled domain's 2", pending)
	}
	log := e.logs.String()
	if !strings.Contains(log, "mail to a recipient domain timed out") || strings.Contains(log, "mail server unreachable") {
		t.Errorf("the log does not tell a stalled domain from a stalled relay:\n%s", log)
	}
	if s := firstIn(strings.ToLower(log), "stall.example", "ok.example"); s != "" {
		t.Errorf("the log names the domain %q:\n%s", s, log)
	}

	// Once the window has passed, the domain is tried again.
	gateClock.add(e.p.gate.window)
	srv.mu.Lock()
	srv.stallRcpt = nil
	srv.mu.Unlock()
	e.clock.add(letterRetryMax)
	if n := e.drainMail(); n != 2 {
		t.Errorf("after the window: %d sent, want 2", n)
	}
	e.countRows(map[string]int{"activations": 2, "outbox": 0})
}

// TestMailBreakerRelayRefusingConnections: a relay that refuses
// connections is down for every domain: after one failure, mail to any
// other is not tried for the window, and goes out after it.
func TestMailBreakerRelayRefusingConnections(t *testing.T) {
	srv, e := smtpEnv(t, "", "")
	gateClock := &clock{t: time.Now()}
	e.p.gate.now = gateClock.now
	addr := srv.addr()
	srv.ln.Close()
	officer := e.officer()
	form := desk("85031486536")
	form.Set("email", "jan@one.example")
	registered(t, officer, form, "a registration with the relay down")
	if !strings.Contains(e.logs.String(), "mail server unreachable") {
		t.Errorf("the log does not say the relay is down:\n%s", e.logs.String())
	}

	ln, err := net.Listen("tcp", addr) // the relay is back, unknown to the breaker
	if err != nil {
		t.Fatalf("listening again on %s: %v", addr, err)
	}
	srv = serveSMTP(t, ln, "", "")
	form.Set("email", "jan@two.example")
	registered(t, officer, form, "a registration with the relay's breaker open")
	e.clock.add(letterRetryMax)
	if n := e.drainMail(); n != 0 || srv.connections() != 0 {
		t.Errorf("with the relay's breaker open: %d sent, %d SMTP connections", n, srv.connections())
	}

	gateClock.add(e.p.gate.window)
	if n := e.drainMail(); n != 2 {
		t.Errorf("after the window: %d sent, want 2", n)
	}
	if got := srv.recipients(); !slices.Equal(got, []string{"jan@one.example", "jan@two.example"}) {
		t.Errorf("RCPT TO %q, want both registrations' mails in order", got)
	}
}

// registered submits a desk registration that must be recorded and
// answered with its activation code, the mail or not.
func registered(t *testing.T, officer *browser, form url.Values, what string) {
	t.Helper()
	if r := officer.submit("/officer", "/officer/register", form); r.status != http.StatusOK || !activationCodeRE.MatchString(r.body) {
		t.Fatalf("%s: %d\n%s", what, r.status, r.body)
	}
}

// TestMailRelayStalledForSeveralDomains: timeouts after RCPT TO for
// several domains in a row trip the relay's breaker, unless a delivery
// came between them; a domain timing out again does not count twice.
func TestMailRelayStalledForSeveralDomains(t *testing.T) {
	defer func(d time.Duration) { smtpTimeout = d }(smtpTimeout)
	smtpTimeout = 150 * time.Millisecond
	srv, e := smtpEnv(t, "", "")
	gateClock := &clock{t: time.Now()}
	e.p.gate.now = gateClock.now
	send := func(domain string) error {
		to := "someone@" + domain
		return e.p.sendMail(to, message{Kind: kindMail, To: to, Subject: "s", HTML: "h"}.encode(smtpFrom, e.clock.now()))
	}
	timedOut := func(domain string) {
		t.Helper()
		var ne net.Error
		if err := send(domain); !errors.Is(err, errDelivery) || !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("%s: %v, want a timeout", domain, err)
		}
	}
	refused := func(domain string, want error) {
		t.Helper()
		conns := srv.connections()
		if err := send(domain); err != want || srv.connections() != conns {
			t.Errorf("%s: %v after %d connections, want %v without one", domain, err, srv.connections()-conns, want)
		}
	}

	srv.stallAt("d1.example", "d2.example", "d3.example")
	timedOut("d1.example")
	gateClock.add(e.p.gate.window)
	timedOut("d1.example") // the same domain again
	timedOut("d2.example")
	refused("d1.example", errMailDomainDown)
	if err := send("ok.example"); err != nil { // a delivery: the relay works
		t.Fatal(err)
	}
	timedOut("d3.example")
	if e.p.gate.open() {
		t.Fatal("the relay's breaker tripped with a delivery between the timeouts")
	}

	srv.stallAt() // every domain
	timedOut("d4.example")
	timedOut("d5.example")
	if !e.p.gate.open() {
		t.Fatal("the relay's breaker is closed after timeouts for 3 domains in a row")
	}
	refused("ok.example", errMailDown)
	if !strings.Contains(e.logs.String(), "mail server unreachable") {
		t.Errorf("the log does not say the relay is down:\n%s", e.logs.String())
	}
}

// TestMailGateDomains: a domain's window doubles while it keeps timing
// out, up to maxWindow, and starts again after a delivery or once
// forgotten; the map holds at most capacity domains.
func TestMailGateDomains(t *testing.T) {
	c := &clock{t: time.Now()}
	g := newMailGate()
	g.now, g.capacity, g.spread = c.now, 3, 100
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		10 * time.Minute, 10 * time.Minute}
	for i, w := range want {
		got, relay := g.tripDomain("a.example")
		if got != w || relay {
			t.Fatalf("trip %d: %v (relay %v), want %v", i+1, got, relay, w)
		}
		if g.admit("a.example") != errMailDomainDown || g.admit("b.example") != nil {
			t.Fatalf("trip %d: a.example %v, b.example %v", i+1, g.admit("a.example"), g.admit("b.example"))
		}
		c.add(w)
		if err := g.admit("a.example"); err != nil {
			t.Fatalf("after trip %d's window: %v", i+1, err)
		}
	}
	g.delivered("a.example")
	if w, _ := g.tripDomain("a.example"); w != g.window {
		t.Errorf("after a delivery: %v, want %v", w, g.window)
	}
	g.tripDomain("a.example")
	c.add(2*g.window + g.maxWindow)
	if w, _ := g.tripDomain("a.example"); w != g.window {
		t.Errorf("after maxWindow closed: %v, want %v (forgotten)", w, g.window)
	}

	for i, d := range []string{"b.example", "c.example", "d.example", "e.example"} {
		c.add(time.Second)
		g.tripDomain(d)
		if len(g.domains) > g.capacity {
			t.Fatalf("%d domains remembered, capacity %d", len(g.domains), g.capacity)
		}
		if g.admit(d) != errMailDomainDown {
			t.Errorf("%s (%d) just tripped is not refused", d, i)
		}
	}
	if g.domains["a.example"] != nil || g.domains["b.example"] != nil {
		t.Errorf("the domains closing first were kept: %v", slices.Collect(maps.Keys(g.domains)))
	}
	c.add(g.maxWindow + g.maxWindow)
	g.tripDomain("f.example")
	if len(g.domains) != 1 {
		t.Errorf("%d domains remembered long after their windows, want 1", len(g.domains))
	}
}

func TestMailDomain(t *testing.T) {
	for addr, want := range map[string]string{
		"jan@stall.example": "stall.example", "Jan@Stall.EXAMPLE": "stall.example", "jan@stall.example.": "stall.example",
		`"a@b"@c.example`: "c.example", "x@BÜCHER.example": "bücher.example", "x@xn--bcher-kva.example": "xn--bcher-kva.example",
	} {
		if got := mailDomain(addr); got != want {
			t.Errorf("mailDomain(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestSMTPStall: where an exchange failed says whose breaker trips.
func TestSMTPStall(t *testing.T) {
	s := &SMTP{Addr: "relay.example:587"}
	fail := smtpFailer(s, "jan@stall.example")
	timeout := fmt.Errorf("read: %w", os.ErrDeadlineExceeded)
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, c := range []struct {
		err  error
		want stallScope
	}{
		{nil, stallNone},
		{fail("address", errors.New("missing port")), stallNone},
		{fail("connect", refused), stallRelay},
		{fail("connect", timeout), stallRelay},
		{fail("greeting", timeout), stallRelay},
		{fail("EHLO", timeout), stallRelay},
		{fail("STARTTLS", timeout), stallRelay},
		{fail("AUTH", timeout), stallRelay},
		{fail("MAIL FROM", timeout), stallRelay},
		{fail("RCPT TO", timeout), stallRecipient},
		{fail("DATA", timeout), stallRecipient},
		{fail("end of DATA", timeout), stallRecipient},
		{fail("RCPT TO", errors.New("451 try again later")), stallNone},
		{fail("DATA", errors.New("EOF")), stallNone},
		{timeout, stallNone}, // not an SMTP step
	} {
		if got := smtpStall(c.err); got != c.want {
			t.Errorf("%v: %d, want %d", c.err, got, c.want)
		}
	}
}
