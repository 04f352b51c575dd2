package portal

import (
	"cmp"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// permissionsPolicy turns off the browser features the portal never
// uses, so that no script that gets into a page can use them either. It
// leaves out the local network access a page needs to reach the agent
// (local-network-access, loopback-network): turning that off would stop
// the eID request itself. Each feature named is one Chromium knows (it
// warns in the console about any other).
const permissionsPolicy = "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), " +
	"clipboard-read=(), display-capture=(), encrypted-media=(), fullscreen=(), gamepad=(), " +
	"geolocation=(), gyroscope=(), hid=(), idle-detection=(), local-fonts=(), magnetometer=(), " +
	"microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), " +
	"screen-wake-lock=(), serial=(), usb=(), window-management=(), xr-spatial-tracking=()"

// securityHeaders are set on every response. The page may talk to its
// own origin and to the local agent, nothing else; inline scripts and
// styles are refused, and no other site may frame it, or keep a handle
// on its window (Cross-Origin-Opener-Policy).
func (p *Portal) securityHeaders(next http.Handler) http.Handler {
	port := p.cfg.AgentPort
	csp := strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self'",
		"form-action 'self'",
		fmt.Sprintf("connect-src 'self' ws://127.0.0.1:%d ws://localhost:%d ws://[::1]:%d", port, port, port),
		"frame-ancestors 'none'",
		"base-uri 'none'",
	}, "; ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		// same-origin: activation links carry a secret, so no other site may
		// see a referrer; "no-referrer" would make Chromium send "Origin:
		// null" on form posts, which the CSRF origin check refuses.
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", permissionsPolicy)
		// Only when the portal's origin is https: a portal on http (the
		// demo, on loopback) must stay reachable there. includeSubDomains:
		// the names under the portal's host are https too, so that no page
		// on an http subdomain can plant cookies for the portal.
		if p.cfg.secure() {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrigin refuses a state-changing request whose Origin header names
// another site: a second line behind the CSRF token.
func (p *Portal) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	return o == "" || o == p.cfg.Origin
}

// limiter is a token bucket per client network (hashgate.go, network).
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
	client  func(*http.Request) string
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the limiter's memory; past it, the buckets that have
// refilled (nobody owes anything) go first, and only then the fullest.
const maxBuckets = 100_000

func newLimiter(rate float64, burst int, now func() time.Time, client func(*http.Request) string) *limiter {
	return &limiter{rate: rate, burst: float64(burst), now: now, buckets: map[string]*bucket{}, client: client}
}

// allow takes one token from the bucket of r's client network.
func (l *limiter) allow(r *http.Request) bool {
	key := network(l.client(r))
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.shedLocked(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// shedLocked forgets refilled buckets, then the fullest half: a flood of
// new addresses never wipes the debts of the clients that are limited.
func (l *limiter) shedLocked(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < maxBuckets {
		return
	}
	keys := make([]string, 0, len(l.buckets))
	for k := range l.buckets {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(l.buckets[b].tokens, l.buckets[a].tokens) })
	for _, k := range keys[:len(keys)/2] {
		delete(l.buckets, k)
	}
}

// clientIP is the client's address: the peer's, or, for a request from a
// trusted reverse proxy, the right-most X-Forwarded-For address that is
// not itself a trusted proxy. Anyone else's header is ignored: a client
// cannot choose its own address.
func (p *Portal) clientIP(r *http.Request) string {
	peer := peerIP(r)
	if !p.trustedProxy(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			break // a malformed hop: trust nothing before it
		}
		if !p.trustedProxy(hop) {
			return hop
		}
		peer = hop
	}
	return peer
}

func (p *Portal) trustedProxy(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, pr := range p.cfg.TrustedProxies {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

// peerIP is the address of the TCP peer.
func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// isLoopback says whether the client is on this machine.
func (p *Portal) isLoopback(r *http.Request) bool {
	ip := net.ParseIP(p.clientIP(r))
	return ip != nil && ip.IsLoopback()
}

// hostOK: the request names the portal's own host. A page on another
// name that resolves here (DNS rebinding), or a request sent past the
// proxy under another name, is refused.
func (p *Portal) hostOK(r *http.Request) bool {
	u, err := url.Parse(p.cfg.Origin)
	return err == nil && strings.EqualFold(r.Host, u.Host)
}

// hostCheck sends a request for another host name to the portal's own
// origin (GET, HEAD) or refuses it (421): a DNS-rebinding page reaches
// nothing under its own name. A reverse proxy must pass the Host header
// on (nginx: proxy_set_header Host $host).
func (p *Portal) hostCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case p.hostOK(r):
			next.ServeHTTP(w, r)
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			http.Redirect(w, r, p.cfg.Origin+r.URL.RequestURI(), http.StatusPermanentRedirect)
		default:
			p.event(r, evRefused, "reason", "Host is not the portal's", "host", logHost(r.Host))
			http.Error(w, "misdirected request: this is "+p.cfg.Origin, http.StatusMisdirectedRequest)
		}
	})
}

// logHost shortens and escapes a Host header for the log.
func logHost(h string) string {
	if len(h) > 100 {
		h = h[:100]
	}
	return strconv.QuoteToASCII(h)
}
