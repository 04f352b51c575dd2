package portal

import (
	"fmt"
	"net"
	"net/http"
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

// limiter is a token bucket per client address.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	return &limiter{rate: rate, burst: float64(burst), now: now, buckets: map[string]*bucket{}}
}

// allow takes one token from the bucket of r's client address.
func (l *limiter) allow(r *http.Request) bool {
	key := clientIP(r)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buckets) > 100_000 {
		l.buckets = map[string]*bucket{} // crude bound; forgets debts, not more
	}
	b, ok := l.buckets[key]
	if !ok {
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

// clientIP is the peer address. A portal behind a reverse proxy should
// take it from the proxy's header instead, and only from the proxy.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// isLoopback says whether the client is on this machine.
func isLoopback(r *http.Request) bool {
	ip := net.ParseIP(clientIP(r))
	return ip != nil && ip.IsLoopback()
}
