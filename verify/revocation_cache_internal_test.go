package verify

import (
	"strconv"
	"testing"
	"time"
)

// TestFlightCacheBounded: a full cache drops expired entries first, and
// never holds more than maxCacheEntries.
func TestFlightCacheBounded(t *testing.T) {
	var c flightCache[int]
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range maxCacheEntries {
		until := now.Add(time.Hour)
		if i%2 == 0 {
			until = now.Add(time.Minute)
		}
		c.put(strconv.Itoa(i), i, until, now)
	}
	later := now.Add(2 * time.Minute)
	c.put("new", -1, later.Add(time.Hour), later)
	if n := len(c.entries); n != maxCacheEntries/2+1 {
		t.Errorf("%d entries after eviction, want %d", n, maxCacheEntries/2+1)
	}
	if v, ok := c.get("1", later); !ok || v != 1 {
		t.Errorf("a live entry was dropped")
	}
	for i := range maxCacheEntries {
		c.put("x"+strconv.Itoa(i), i, later.Add(time.Hour), later)
	}
	if n := len(c.entries); n > maxCacheEntries {
		t.Errorf("%d entries, bound %d", n, maxCacheEntries)
	}
	c.put("expired", 1, later, later)
	if _, ok := c.get("expired", later); ok {
		t.Errorf("an answer already expired was kept")
	}
}
