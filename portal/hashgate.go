package portal

import (
	"net"
	"net/http"
	"sync"
)

// hashGate admits requests to the password hash fairly: each network
// (an IPv4 address, an IPv6 /64, which one holder usually has whole) may
// have a few checks running or queued, and the queue as a whole is
// bounded. Beyond either, a request is refused at once rather than
// queued, so a flood from one network cannot make a citizen elsewhere
// wait seconds behind it. (One check at a time per account is the
// database's claim, login_claim.go.)
type hashGate struct {
	maxPerNet, maxQueued int
	client               func(*http.Request) string

	mu     sync.Mutex
	perNet map[string]int
	queued int
	peak   int // the most checks one network ever had at once, for tests
}

func newHashGate(maxPerNet, maxQueued int, client func(*http.Request) string) *hashGate {
	return &hashGate{maxPerNet: maxPerNet, maxQueued: maxQueued, client: client, perNet: map[string]int{}}
}

// enter admits r or returns the message key of the refusal.
func (g *hashGate) enter(r *http.Request) (leave func(), key string) {
	n := network(g.client(r))
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.perNet[n] >= g.maxPerNet:
		return nil, "err.rate"
	case g.queued >= g.maxQueued:
		return nil, "err.busy"
	}
	g.perNet[n]++
	g.queued++
	g.peak = max(g.peak, g.perNet[n])
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.queued--
		if g.perNet[n]--; g.perNet[n] == 0 {
			delete(g.perNet, n)
		}
	}, ""
}

// network is the address's network for fairness: the IPv4 address
// itself, or the IPv6 /64.
func network(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
