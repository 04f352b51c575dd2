package agent

import (
	"sync"
	"time"
)

// siteLimits keeps one site from taking what others need: its open
// connections are capped below the global cap, and after the citizen
// refused (or let time out) one of its dialogs, its next card operation
// waits a while, longer after each refusal, so a site cannot bring the
// next dialog the moment the last one is closed.
type siteLimits struct {
	max int

	mu    sync.Mutex
	conns map[string]int
	back  map[string]backoff
}

type backoff struct {
	until time.Time
	wait  time.Duration
}

// Back-off after a refused dialog: doubling from the first to the last.
const (
	firstBackoff = 2 * time.Second
	lastBackoff  = 2 * time.Minute
)

func newSiteLimits(max int) siteLimits {
	return siteLimits{max: max, conns: map[string]int{}, back: map[string]backoff{}}
}

// open counts a connection of origin, or refuses it at the cap.
func (l *siteLimits) open(origin string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conns[origin] >= l.max {
		return false
	}
	l.conns[origin]++
	return true
}

func (l *siteLimits) closed(origin string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conns[origin]--; l.conns[origin] <= 0 {
		delete(l.conns, origin)
	}
}

// waiting tells whether origin's card operations are held back at now.
func (l *siteLimits) waiting(origin string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return now.Before(l.back[origin].until)
}

// refused starts or doubles origin's back-off; accepted ends it.
func (l *siteLimits) refused(origin string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.back[origin]
	b.wait = min(max(2*b.wait, firstBackoff), lastBackoff)
	b.until = now.Add(b.wait)
	l.back[origin] = b
}

func (l *siteLimits) accepted(origin string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.back, origin)
}
