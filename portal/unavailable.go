package portal

import (
	"context"
	"net/http"
	"time"
)

// dbRetryAfter is what a 503 for an unreachable database asks browsers to
// wait, in seconds.
const dbRetryAfter = "30"

// unavailable answers a request that could not reach the database: a
// plain 503 in the citizen's language. Every change is one transaction,
// so nothing was half-written; the pool reconnects by itself once the
// database is back, without a restart.
func (p *Portal) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	p.log.Error("database unavailable", "path", r.URL.Path, "err", err)
	w.Header().Set("Retry-After", dbRetryAfter)
	if r.Method == http.MethodPost {
		p.refuse(w, r, http.StatusServiceUnavailable, "err.unavailable")
		return
	}
	p.fail(w, r, nil, http.StatusServiceUnavailable, "err.unavailable")
}

// downgrade turns a 500 into the 503 of an unreachable database when the
// database does not answer now: the citizen is told to come back rather
// than that something broke. A ping costs a round trip, but only on this
// error path.
func (p *Portal) downgrade(w http.ResponseWriter, r *http.Request, status int, key string) (int, string) {
	if status != http.StatusInternalServerError {
		return status, key
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if p.db.Ping(ctx) == nil {
		return status, key
	}
	w.Header().Set("Retry-After", dbRetryAfter)
	return http.StatusServiceUnavailable, "err.unavailable"
}
