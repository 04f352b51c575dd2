package portal

import (
	"testing"
	"time"
)

// Five wrong passwords a quarter of an hour used to keep a known citizen
// out, and undid their eID unlock at once. The lock now holds only for
// browsers the citizen has not used: theirs still logs in, and an eID
// proof makes a new browser theirs.
func TestTargetedLockoutSparesTheCitizen(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.MaxLoginFailures = 5; c.LockDuration = time.Hour })
	citizen := e.browser()
	if r := citizen.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1); r.path != "/request/sent" {
		t.Fatalf("request: %s", r.path)
	}
	codes := e.last().codes(t)
	right := func(p int) string { return codes[p] }
	lockOut := func() {
		for range 5 {
			e.browser().login(user1, "an attacker's guess", func(int) string { return "" })
		}
	}
	lockOut()
	if r, _ := e.browser().login(user1, pass1, right); r.path == "/me" {
		t.Fatal("a browser the citizen never used passed the lock")
	}
	if r, _ := citizen.login(user1, pass1, right); r.path != "/me" {
		t.Fatalf("the citizen's own browser after the attacker's lockout: %s", r.path)
	}
	lockOut() // again, right after
	other := e.browser()
	if r := other.requestOnline(loadCard(t, "citizen-1.8"), "", "", ""); r.path != "/request/sent" {
		t.Fatalf("eID request: %s", r.path)
	}
	codes = e.last().codes(t)
	lockOut() // the attacker locks again at once
	if r, _ := other.login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Errorf("the browser of the eID proof after a new lockout: %s", r.path)
	}
}
