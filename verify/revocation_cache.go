package verify

import (
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// maxCacheEntries bounds a cache's memory: a busy site sees many
// certificates, each answer a few hundred bytes.
const maxCacheEntries = 10000

// flightCache keeps validated revocation answers until they expire and
// makes concurrent loads of one key share a single fetch, so that a busy
// site neither asks twice nor sends a burst of identical requests.
type flightCache[T any] struct {
	group   singleflight.Group
	mu      sync.Mutex
	entries map[string]cacheEntry[T]
}

type cacheEntry[T any] struct {
	v     T
	until time.Time
}

// fetchFunc fetches and validates one answer; until is when it expires
// (zero: not cached). Errors are never cached.
type fetchFunc[T any] func() (v T, until time.Time, err error)

// load returns the cached answer for key, or fetches it once for every
// concurrent caller.
func (c *flightCache[T]) load(key string, now func() time.Time, fetch fetchFunc[T]) (T, error) {
	if v, ok := c.get(key, now()); ok {
		return v, nil
	}
	r, err, _ := c.group.Do(key, func() (any, error) {
		// A flight that ended just before this one began has filled the cache.
		if v, ok := c.get(key, now()); ok {
			return v, nil
		}
		v, until, err := fetch()
		if err == nil {
			c.put(key, v, until, now())
		}
		return v, err
	})
	v, _ := r.(T)
	return v, err
}

func (c *flightCache[T]) get(key string, now time.Time) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !now.Before(e.until) {
		var zero T
		return zero, false
	}
	return e.v, true
}

func (c *flightCache[T]) put(key string, v T, until, now time.Time) {
	if !now.Before(until) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cacheEntry[T]{}
	}
	if len(c.entries) >= maxCacheEntries {
		c.evict(now)
	}
	c.entries[key] = cacheEntry[T]{v: v, until: until}
}

// evict drops expired entries, then arbitrary ones down to 90% of the
// bound, so that the scan is paid once per many insertions.
func (c *flightCache[T]) evict(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.until) {
			delete(c.entries, k)
		}
	}
	for k := range c.entries {
		if len(c.entries) < maxCacheEntries*9/10 {
			return
		}
		delete(c.entries, k)
	}
}
