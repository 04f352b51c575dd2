package portal

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

// A message is sent inside the write transaction that records what it
// carries, so that a failed delivery changes nothing; SQLite's write lock
// is then held for the SMTP exchange. mailGate keeps that safe for the
// other writers (logins above all), which wait up to the busy timeout:
//   - one delivering transaction at a time, so the lock is held for at
//     most one exchange (smtpTimeout, 8 s, under the busy timeout, 10 s);
//   - a request waits for its turn only briefly (wait), then gets the
//     "mail failed, try later" answer, so that deliverers never queue up
//     on the lock behind a slow server;
//   - breakers: after an exchange that could not connect or timed out,
//     mail that would most likely wait as long is refused at once for a
//     while, without SMTP.
//
// The breakers follow what a failure says about the next exchanges:
//   - the relay's own: it trips on a failed connection or a timeout
//     before the recipient is named (greeting, EHLO, STARTTLS, AUTH, MAIL
//     FROM). Nothing there depends on the recipient, so all mail is
//     refused for window, before the slot and the database.
//   - one per recipient domain: a timeout once RCPT TO was sent (at RCPT
//     TO, DATA or the end of DATA) is where a relay that checks the
//     recipient, or hands the message on at once, waits on the
//     recipient's domain. Only mail to that domain is refused, so that a
//     citizen whose address stalls does not keep everyone else's mail
//     out. It is checked just before sending, inside the transaction:
//     only there is the address known (a renewal reads it from the
//     database); the transaction then rolls back at once, having held the
//     lock for no exchange. Its window doubles each time the domain trips
//     again without a delivery to it in between, up to maxWindow, so that
//     a domain that keeps stalling takes the slot ever more rarely.
//   - several domains in a row: timeouts after RCPT TO for spread
//     distinct domains, with no delivery in between, also trip the
//     relay's breaker. A relay stalled for everyone after RCPT TO (a full
//     queue, or slow overall, so that the exchange's one deadline falls
//     late) then costs a few exchanges rather than one per domain. A
//     delivery in between, which a busy portal has, shows the relay
//     works, so a few stalling domains do not close it for everyone.
//
// The domains' breakers are a map bounded by capacity: an entry is
// forgotten maxWindow after its breaker closed, and when the map is full
// the one closing first gives way.
//
// There is one slot for all domains: SQLite has one write lock, so
// delivering transactions for two domains could not overlap anyway; the
// second would only wait on the lock instead of the slot, with the logins
// queued behind both past the busy timeout.
//
// There is one gate per Portal, that is per database, which is what the
// lock belongs to (and one per process in practice).
type mailGate struct {
	slot      chan struct{} // capacity 1: holding it allows one delivering transaction
	wait      time.Duration // longest wait for the slot
	window    time.Duration // how long the relay's breaker stays open, and a domain's the first time
	maxWindow time.Duration // the longest a domain's breaker stays open; how long a closed one is remembered
	capacity  int           // most domains remembered
	spread    int           // distinct domains timing out in a row that trip the relay's breaker
	now       func() time.Time

	mu        sync.Mutex
	openUntil time.Time // the relay's breaker
	domains   map[string]*domainBreaker
	streak    map[string]bool // domains that timed out since the last delivery
	streakAt  time.Time       // the streak's last timeout
}

// domainBreaker is one recipient domain's breaker.
type domainBreaker struct {
	openUntil time.Time
	trips     int // in a row, with no delivery to the domain between
}

// Defaults of the gate; the windows are real time, not Config.Clock, as
// they are about real servers.
const (
	mailSlotWait        = 3 * time.Second
	mailBreakerWindow   = 30 * time.Second
	mailDomainMaxWindow = 10 * time.Minute
	mailDomainCapacity  = 1000
	mailRelaySpread     = 3
)

func newMailGate() *mailGate {
	return &mailGate{slot: make(chan struct{}, 1), wait: mailSlotWait, window: mailBreakerWindow,
		maxWindow: mailDomainMaxWindow, capacity: mailDomainCapacity, spread: mailRelaySpread, now: time.Now,
		domains: make(map[string]*domainBreaker), streak: make(map[string]bool)}
}

// Answers of the gate. They are errDelivery failures, so the citizen is
// told that the mail could not go out and to come back (503,
// Retry-After), and nothing was recorded. Their text names no domain.
var (
	errMailBusy       = fmt.Errorf("%w: another message is being sent, not waiting longer", errDelivery)
	errMailDown       = fmt.Errorf("%w: mail server unreachable a moment ago, not tried", errDelivery)
	errMailDomainDown = fmt.Errorf("%w: mail to the recipient's domain timed out a moment ago, not tried", errDelivery)
)

// mailDomain is the key of addr's breaker: what follows the last "@",
// lower-cased, without a final dot. The portal does not convert
// internationalised domain names, so a domain typed in Unicode and its
// ASCII form are two keys.
func mailDomain(addr string) string {
	d := addr[strings.LastIndexByte(addr, '@')+1:]
	return strings.TrimSuffix(strings.ToLower(d), ".")
}

// acquire takes the slot, waiting at most g.wait; release gives it back.
func (g *mailGate) acquire(ctx context.Context) (release func(), err error) {
	if g.open() {
		return nil, errMailDown
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slot <- struct{}{}:
	case <-t.C:
		return nil, errMailBusy
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting to send mail: %w", ctx.Err())
	}
	release = func() { <-g.slot }
	if g.open() { // tripped by the one we waited for
		release()
		return nil, errMailDown
	}
	return release, nil
}

func (g *mailGate) open() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.now().Before(g.openUntil)
}

// admit says whether mail to domain may be tried now.
func (g *mailGate) admit(domain string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if now.Before(g.openUntil) {
		return errMailDown
	}
	if b := g.domains[domain]; b != nil && now.Before(b.openUntil) {
		return errMailDomainDown
	}
	return nil
}

// trip opens the relay's breaker for g.window.
func (g *mailGate) trip() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tripRelay(g.now())
}

func (g *mailGate) tripRelay(now time.Time) {
	g.openUntil = now.Add(g.window)
	clear(g.streak)
}

// tripDomain opens domain's breaker and says for how long, and whether
// the relay's tripped too (the domain completing a streak).
func (g *mailGate) tripDomain(domain string) (window time.Duration, relay bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	b := g.domains[domain]
	if b != nil && !now.Before(b.openUntil.Add(g.maxWindow)) {
		b = nil // forgotten: starts again at g.window
	}
	if b == nil {
		g.makeRoom(now)
		b = &domainBreaker{}
		g.domains[domain] = b
	}
	b.trips++
	window = g.window
	for i := 1; i < b.trips && window < g.maxWindow; i++ {
		window *= 2
	}
	window = min(window, g.maxWindow)
	b.openUntil = now.Add(window)

	if !now.Before(g.streakAt.Add(g.maxWindow)) {
		clear(g.streak)
	}
	g.streak[domain], g.streakAt = true, now
	if len(g.streak) >= g.spread {
		g.tripRelay(now)
		return window, true
	}
	return window, false
}

// makeRoom forgets the domains closed for g.maxWindow and, if the map is
// still full, the one whose breaker closes first.
func (g *mailGate) makeRoom(now time.Time) {
	if len(g.domains) < g.capacity {
		return
	}
	first := ""
	for d, b := range g.domains {
		switch {
		case !now.Before(b.openUntil.Add(g.maxWindow)):
			delete(g.domains, d)
		case first == "" || b.openUntil.Before(g.domains[first].openUntil):
			first = d
		}
	}
	if len(g.domains) >= g.capacity {
		delete(g.domains, first)
	}
}

// delivered notes that mail to domain went through: the domain's breaker
// starts again from g.window, and the relay's streak ends.
func (g *mailGate) delivered(domain string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.domains, domain)
	clear(g.streak)
}

// openDomains is how many domains' breakers are open.
func (g *mailGate) openDomains() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n, now := 0, g.now()
	for _, b := range g.domains {
		if now.Before(b.openUntil) {
			n++
		}
	}
	return n
}

// deliveryDBSlack is what a delivering transaction may spend on the
// database besides the SMTP exchange: waiting for the lock behind other
// writers (up to the busy timeout) and committing. Its deadline is only a
// safety net: it must not fall inside the exchange, which would roll back
// what is being mailed.
const deliveryDBSlack = 20 * time.Second

// sendFunc delivers the message a transaction has just recorded.
type sendFunc func(message) error

// deliveryTx runs f in a write transaction that ends by sending what it
// recorded with send; mail by SMTP (viaSMTP) goes through the gate (the
// recipient domain's breaker is checked by deliver, when the address is
// known).
//
// The transaction does not follow the request's context: if the citizen
// leaves while the message is being sent, database/sql would roll back
// what the message carries, and they would hold codes or a link that
// never worked. Instead send checks the request just before sending: a
// request gone by then changes nothing, and once sent, the transaction
// commits.
func (p *Portal) deliveryTx(ctx context.Context, viaSMTP bool, f func(context.Context, *store.Tx, sendFunc) error) error {
	if viaSMTP {
		release, err := p.gate.acquire(ctx)
		if err != nil {
			return err
		}
		defer release()
	}
	txCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), smtpTimeout+deliveryDBSlack)
	defer cancel()
	send := func(m message) error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("request ended before sending: %w", err)
		}
		return p.deliver(m)
	}
	return p.db.InTx(txCtx, func(tx *store.Tx) error { return f(txCtx, tx, send) })
}

// noteSMTP feeds the breakers with the outcome of an exchange with to:
// a failure that says the next one would wait as long trips the relay's
// or the recipient domain's breaker (smtpStall), a delivery resets the
// domain's. The log names no domain: it may be the citizen's own.
func (p *Portal) noteSMTP(to string, err error) {
	switch smtpStall(err) {
	case stallRelay:
		p.gate.trip()
		p.log.Warn("mail server unreachable: refusing deliveries for a while", "for", p.gate.window)
	case stallRecipient:
		window, relay := p.gate.tripDomain(mailDomain(to))
		if relay {
			p.log.Warn("mail server unreachable: refusing deliveries for a while", "for", p.gate.window,
				"reason", "timeouts after RCPT TO for several domains in a row")
			return
		}
		p.log.Warn("mail to a recipient domain timed out: refusing mail to that domain for a while",
			"for", window, "domains_refused", p.gate.openDomains())
	default:
		if err == nil {
			p.gate.delivered(mailDomain(to))
		}
	}
}
