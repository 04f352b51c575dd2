package portal

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Mail leaves through the outbox (outbox.go), after the transaction that
// queued it: an SMTP exchange holds no database lock. mailGate keeps a
// slow or dead relay from holding up the citizens' pages and the
// workers:
//   - one request per instance at a time sends its own mail at once (the
//     slot); the others, not waiting, leave theirs to the workers, so
//     that a stalled relay holds up one page for one exchange
//     (smtpTimeout), not every page;
//   - breakers: after an exchange that could not connect or timed out,
//     mail that would most likely wait as long is not tried for a while:
//     it stays queued, and is tried again after its back-off.
//
// The breakers follow what a failure says about the next exchanges:
//   - the relay's own: it trips on a failed connection or a timeout
//     before the recipient is named (greeting, EHLO, STARTTLS, AUTH, MAIL
//     FROM). Nothing there depends on the recipient, so no mail is tried
//     for window: neither by a request nor by the worker, whose round
//     ends there.
//   - one per recipient domain: a timeout once RCPT TO was sent (at RCPT
//     TO, DATA or the end of DATA) is where a relay that checks the
//     recipient, or hands the message on at once, waits on the
//     recipient's domain. Only mail to that domain is held back, so that
//     a citizen whose address stalls does not keep everyone else's mail
//     waiting. It is checked just before sending, when the queued
//     message has been unsealed: only there is the address known. Its
//     window doubles each time the domain trips again without a delivery
//     to it in between, up to maxWindow, so that a domain that keeps
//     stalling costs an exchange ever more rarely.
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
// There is one gate per Portal (one per process in practice): the
// breakers are what this instance saw; another instance learns the same
// from its own first exchange.
type mailGate struct {
	slot      chan struct{} // capacity 1: holding it lets a request send its mail at once
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
	mailBreakerWindow   = 30 * time.Second
	mailDomainMaxWindow = 10 * time.Minute
	mailDomainCapacity  = 1000
	mailRelaySpread     = 3
)

func newMailGate() *mailGate {
	return &mailGate{slot: make(chan struct{}, 1), window: mailBreakerWindow,
		maxWindow: mailDomainMaxWindow, capacity: mailDomainCapacity, spread: mailRelaySpread, now: time.Now,
		domains: make(map[string]*domainBreaker), streak: make(map[string]bool)}
}

// Answers of the gate: errDelivery failures, so the queued message is
// tried again after its back-off. Their text names no domain.
var (
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

// tryAcquire takes the slot if it is free and the relay's breaker is
// closed, without waiting; release gives it back.
func (g *mailGate) tryAcquire() (release func(), ok bool) {
	if g.open() {
		return nil, false
	}
	select {
	case g.slot <- struct{}{}:
		return func() { <-g.slot }, true
	default:
		return nil, false
	}
}

// open says whether the relay's breaker is open.
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

// noteSMTP feeds the breakers with the outcome of an exchange with to:
// a failure that says the next one would wait as long trips the relay's
// or the recipient domain's breaker (smtpStall), a delivery resets the
// domain's. The log names no domain: it may be the citizen's own.
func (p *Portal) noteSMTP(to string, err error) {
	switch smtpStall(err) {
	case stallRelay:
		p.gate.trip()
		p.log.Warn("mail server unreachable: mail stays queued for a while", "for", p.gate.window)
	case stallRecipient:
		window, relay := p.gate.tripDomain(mailDomain(to))
		if relay {
			p.log.Warn("mail server unreachable: mail stays queued for a while", "for", p.gate.window,
				"reason", "timeouts after RCPT TO for several domains in a row")
			return
		}
		p.log.Warn("mail to a recipient domain timed out: its mail stays queued for a while",
			"for", window, "domains_held", p.gate.openDomains())
	default:
		if err == nil {
			p.gate.delivered(mailDomain(to))
		}
	}
}
