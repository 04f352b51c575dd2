package portal

import (
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// 300 parallel logins from one network made a citizen's check elsewhere
// wait 4 to 5 s behind them. Now a network has at most 2 checks running
// or queued, the rest is refused at once, and the citizen elsewhere is
// checked without waiting behind the flood.
func TestHashQueueFairPerNetwork(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	codes := onlineAccount(t, e)
	var flood sync.WaitGroup
	var refused atomic.Int64
	for i := range 100 {
		flood.Go(func() {
			b := e.browser()
			b.get("/login")
			r := b.post("/login", url.Values{"csrf": {b.csrf()}, "username": {"flood" + string(rune('a'+i%26))},
				"password": {"whatever password"}})
			if r.status == http.StatusTooManyRequests {
				refused.Add(1)
			}
		})
	}
	time.Sleep(10 * time.Millisecond) // the flood under way
	citizen := e.browserFrom(t, "127.0.0.2")
	if r, _ := citizen.login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Errorf("a citizen on another network during the flood: %d %s", r.status, r.path)
	}
	flood.Wait()
	if got := e.p.hashes.peak; got > hashesPerNetwork { // the flood's network, the only one with parallel checks
		t.Errorf("one network had %d checks at once, want at most %d", got, hashesPerNetwork)
	}
	if refused.Load() == 0 {
		t.Error("no check of the flood was refused")
	}
}

func TestNetworkOfAnAddress(t *testing.T) {
	for addr, want := range map[string]string{"192.0.2.7": "192.0.2.7", "2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::99": "2001:db8:1:2::/64", "::1": "::/64"} {
		if got := network(addr); got != want {
			t.Errorf("network(%s) = %s, want %s", addr, got, want)
		}
	}
}
