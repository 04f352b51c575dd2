package portal

import (
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Parallel guesses all read the lock before any failure was counted, so
// every one was checked (21 of 21). Now one check runs at a time per
// account and none while it is locked: a burst gets at most the allowed
// failures checked.
func TestLockoutHoldsUnderParallelGuesses(t *testing.T) {
	const guesses, maxFailures = 21, 5
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.MaxLoginFailures = maxFailures; c.LockDuration = time.Hour })
	codes := onlineAccount(t, e)
	var checked atomic.Int64
	e.p.checkHash = func(phc, pw string) (bool, error) {
		checked.Add(1)
		time.Sleep(20 * time.Millisecond) // a hash takes time; the race is in it
		return checkPassword(phc, pw)
	}
	browsers := make([]*browser, guesses)
	for i := range browsers {
		browsers[i] = e.browser()
		browsers[i].get("/login")
	}
	var wg sync.WaitGroup
	for i, b := range browsers {
		wg.Go(func() {
			b.post("/login", url.Values{"csrf": {b.csrf()}, "username": {user1}, "password": {"guess " + string(rune('a'+i))}})
		})
	}
	wg.Wait()
	if n := checked.Load(); n > maxFailures {
		t.Errorf("%d of %d parallel guesses were checked; at most %d may be before the lock", n, guesses, maxFailures)
	}
	// Locked by now whatever the timing: not even the right password passes.
	for checked.Load() < maxFailures {
		b := e.browser()
		b.login(user1, "one more guess", func(int) string { return "" })
	}
	if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path == "/me" || r.path == "/login/code" {
		t.Errorf("the right password got through a locked account: %s", r.path)
	}
}

// A locked account answers exactly as an unknown username or a wrong
// password does, so the lock message tells no one which accounts exist.
func TestLockedAccountLooksUnknown(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.MaxLoginFailures = 2; c.LockDuration = time.Hour })
	onlineAccount(t, e)
	for range 2 {
		e.browser().login(user1, "wrong password", func(int) string { return "" })
	}
	answer := func(user, pass string) (int, string) {
		b := e.browser()
		r := b.submit("/login", "/login", url.Values{"username": {user}, "password": {pass}})
		return r.status, csrfRE.ReplaceAllString(r.body, "")
	}
	ls, locked := answer(user1, pass1)
	us, unknown := answer("nobody.here", pass1)
	ws, wrongPw := answer(user1, "wrong password")
	if ls != http.StatusUnauthorized || ls != us || ls != ws || locked != unknown || locked != wrongPw {
		t.Errorf("locked %d, unknown %d, wrong %d; the pages differ: %v %v", ls, us, ws, locked != unknown, locked != wrongPw)
	}
}
