package eid

import (
	"testing"
	"time"
)

// FakeClock stands in for the session clock in tests.
type FakeClock struct{ now time.Time }

// Advance moves the clock forward.
func (f *FakeClock) Advance(d time.Duration) { f.now = f.now.Add(d) }

// UseFakeClock makes the session clock a FakeClock until the test ends,
// so that whether a PIN state is reused does not depend on the machine's
// speed. Tests that use it must not run in parallel.
func UseFakeClock(t testing.TB) *FakeClock {
	f := &FakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	old := clock
	clock = func() time.Time { return f.now }
	t.Cleanup(func() { clock = old })
	return f
}

// PINStateReuse is pinStateReuse for the external tests.
const PINStateReuse = pinStateReuse
