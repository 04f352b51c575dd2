package demoservice

import (
	"sync"
	"time"
)

// store is a map from random ids to values that expire, bounded in size:
// logins in progress and sessions arrive from anybody, so memory must not
// grow with them.
type store[V any] struct {
	mu  sync.Mutex
	m   map[string]entry[V]
	max int
	ttl time.Duration
	now func() time.Time
}

type entry[V any] struct {
	v   V
	exp time.Time
}

func newStore[V any](max int, ttl time.Duration, now func() time.Time) *store[V] {
	return &store[V]{m: map[string]entry[V]{}, max: max, ttl: ttl, now: now}
}

// put keeps v under id for the store's lifetime. When the store is full it
// first drops what expired, then the entry closest to expiry: a flood of
// new entries pushes out the oldest ones rather than refusing everybody.
func (s *store[V]) put(id string, v V) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.m) >= s.max {
		s.sweep(now)
	}
	if len(s.m) >= s.max {
		s.dropOldest()
	}
	s.m[id] = entry[V]{v: v, exp: now.Add(s.ttl)}
}

// get is the value under id, if it is there and has not expired.
func (s *store[V]) get(id string) (V, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[id]
	if ok && !s.now().Before(e.exp) {
		delete(s.m, id)
		ok = false
	}
	if !ok {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (s *store[V]) del(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

func (s *store[V]) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// sweep drops expired entries; s.mu is held.
func (s *store[V]) sweep(now time.Time) {
	for id, e := range s.m {
		if !now.Before(e.exp) {
			delete(s.m, id)
		}
	}
}

// dropOldest drops the entry that expires first; s.mu is held.
func (s *store[V]) dropOldest() {
	var oldest string
	var first time.Time
	for id, e := range s.m {
		if oldest == "" || e.exp.Before(first) {
			oldest, first = id, e.exp
		}
	}
	delete(s.m, oldest)
}
