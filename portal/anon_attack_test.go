package portal

import (
	"net"
	"net/http"
	"net/url"
	"testing"
)

// Every cookie-less request used to create a server-side session, so one
// client filled the table (100,000) and everyone else got 503. Anonymous
// visitors now cost the server nothing, and a visitor still logs in.
func TestAnonymousRequestsStoreNothing(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	codes := onlineAccount(t, e)
	before := e.p.sess.stored()
	for i := range 1000 {
		path := []string{"/", "/login", "/no-such-page", "/request"}[i%4]
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
		r, err := e.srv.Client().Do(req) // no cookie jar: a new visitor each time
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
	}
	if n := e.p.sess.stored(); n != before {
		t.Errorf("1000 cookie-less requests stored %d sessions", n-before)
	}
	if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Errorf("a citizen after the flood: %s", r.path)
	}
}

// One client cannot hold more than its share of stored sessions: its
// oldest are evicted, other clients' are not.
func TestStoredSessionsPerClient(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	onlineAccount(t, e)
	for range maxClientSession + 20 {
		b := e.browser()
		if r := b.submit("/login", "/login", url.Values{"username": {user1}, "password": {pass1}}); r.path != "/login/code" {
			t.Fatalf("password step: %s", r.path)
		}
	}
	if n := e.p.sess.stored(); n > maxClientSession {
		t.Errorf("one client holds %d sessions, want at most %d", n, maxClientSession)
	}
}

// One session asking for challenges without end used to fill the nonce
// store (100,000) and fail everyone's. It now holds a few, a client gets
// them at a bounded rate, and the next visitor's challenge works.
func TestChallengeFloodCannotFillTheStore(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	csrf, _ := b.challenge()
	limited := 0
	for range 200 {
		r, _ := b.postJSON("/request/challenge", csrf, nil)
		if r.status == http.StatusTooManyRequests {
			limited++
		}
	}
	if n := e.p.nonces.Outstanding(); n > maxSessionNonces {
		t.Errorf("one session holds %d nonces, want at most %d", n, maxSessionNonces)
	}
	if limited < 200-challengeBurst {
		t.Errorf("%d of 200 challenges refused, want all beyond the burst of %d", limited, challengeBurst)
	}
	if r := e.browserFrom(t, "127.0.0.2").requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1); r.path != "/request/sent" {
		t.Errorf("a citizen's request after the flood: %s", r.path)
	}
}

// browserFrom is a browser on another client address (of the loopback
// range), for limits that count per client.
func (e *env) browserFrom(t *testing.T, ip string) *browser {
	b := e.browser()
	tr := e.srv.Client().Transport.(*http.Transport).Clone()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	tr.DialContext = d.DialContext
	b.c.Transport = tr
	return b
}

// "This username is taken" says an account exists: one eID proof may ask
// it a bounded number of times, and a client at a bounded rate.
func TestUsernameProbesBounded(t *testing.T) {
	e := newEnv(t, "citizen-1.7")
	code, link := e.register(desk("90122461359")) // someone else takes user1 at the desk
	if r := e.browser().submit(link, link, activationForm(code, user1, pass1)); r.path != "/request/sent" {
		t.Fatalf("activation: %s", r.path)
	}
	b := e.browser()
	if status, m := b.send(b.proof(loadCard(t, "citizen-1.7"))); status != 200 || m["next"] != "/request/account" {
		t.Fatalf("a new citizen's proof: %d %v", status, m)
	}
	taken, limited := 0, 0
	for range maxAccountTries + 5 {
		r := b.submit("/request/account", "/request/account", url.Values{"username": {user1},
			"password": {"a long and unusual passphrase"}, "password2": {"a long and unusual passphrase"}, "email": {"x@example.be"}})
		switch {
		case b.shows(r, "err.username.taken"):
			taken++
		case r.status == http.StatusTooManyRequests:
			limited++
		}
	}
	if taken != maxAccountTries || limited != 5 {
		t.Errorf("%d answered taken, %d refused; want %d and 5", taken, limited, maxAccountTries)
	}
}
