package agent_test

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/eidbridge/eidbridge/agent"
)

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// atomicTime is a settable clock; it follows the real one until set.
type atomicTime struct {
	mu sync.Mutex
	t  time.Time
}

func (a *atomicTime) get() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.t.IsZero() {
		return time.Now()
	}
	return a.t
}

func (a *atomicTime) set(t time.Time) {
	a.mu.Lock()
	a.t = t
	a.mu.Unlock()
}

func (a *atomicTime) add(d time.Duration) { a.set(a.get().Add(d)) }

// withClock runs the agent on clk.
func withClock(clk *atomicTime) setup { return func(o *agent.Options) { o.Now = clk.get } }
