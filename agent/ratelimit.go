package agent

import "time"

// bucket is a token bucket: burst requests at once, then rate per second.
// Only the connection's read loop uses it, so it needs no lock.
type bucket struct {
	rate, burst, tokens float64
	last                time.Time
}

// allow takes one token if there is one.
func (b *bucket) allow(now time.Time) bool {
	if d := now.Sub(b.last).Seconds(); d > 0 {
		b.tokens = min(b.burst, b.tokens+d*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
