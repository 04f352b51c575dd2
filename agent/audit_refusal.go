package agent

import (
	"sync"
	"time"
)

// refusalAudit writes refused handshakes to the audit log, so a citizen
// or support desk can see which sites tried the agent. A scanning page
// can retry endlessly, so each origin gets at most one line per window
// and the memory of recent origins is bounded.
type refusalAudit struct {
	mu     sync.Mutex
	last   map[string]time.Time
	window time.Duration
}

const (
	refusalWindow  = time.Minute
	refusalOrigins = 256 // origins remembered before the memory starts afresh
)

func newRefusalAudit() *refusalAudit {
	return &refusalAudit{last: map[string]time.Time{}, window: refusalWindow}
}

// record audits one refusal of origin (as sent, shortened) unless that
// origin was audited within the window.
func (r *refusalAudit) record(a *Audit, origin string, now time.Time) {
	if a == nil {
		return
	}
	origin = logValue(origin)
	if origin == "" {
		origin = "(none)"
	}
	r.mu.Lock()
	if t, ok := r.last[origin]; ok && now.Sub(t) < r.window {
		r.mu.Unlock()
		return
	}
	if len(r.last) >= refusalOrigins {
		clear(r.last)
	}
	r.last[origin] = now
	r.mu.Unlock()
	a.Record(AuditRecord{Time: now, Origin: origin, Operation: "connect", Outcome: "REFUSED"})
}
