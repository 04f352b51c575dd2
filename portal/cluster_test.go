package portal

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eidbridge/eidbridge/portal/store/storetest"
	"github.com/eidbridge/eidbridge/verify"
)

// newCluster is an env whose server hands requests to two portals on one
// database in turn, as a round-robin load balancer without stickiness
// does. They share the data directory for the code key, which every
// instance must have (doc.go).
func newCluster(t testing.TB, dsn string, mod ...func(*Config)) (*env, [2]*Portal) {
	e, ps := newInstances(t, 2, dsn, mod...)
	return e, [2]*Portal{ps[0], ps[1]}
}

// newInstances is newCluster with n instances.
func newInstances(t testing.TB, n int, dsn string, mod ...func(*Config)) (*env, []*Portal) {
	t.Helper()
	e := newEnv(t, "citizen-1.8", append(mod, func(c *Config) { c.Database = dsn })...)
	ps := []*Portal{e.p}
	for len(ps) < n {
		p, err := New(e.cfg)
		if err != nil {
			t.Fatalf("instance %d: %v", len(ps)+1, err)
		}
		t.Cleanup(func() { p.Close() })
		ps = append(ps, p)
	}
	var next atomic.Uint64
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ps[next.Add(1)%uint64(n)].ServeHTTP(w, r)
	})
	return e, ps
}

// The whole online request, a login and a renewal with every request
// going to the other instance: sessions, nonces and CSRF tokens are
// shared, and the renewal's new token replaces the old one everywhere.
func TestClusterRequestAndLogin(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		e, _ := newCluster(t, dsn)
		c := loadCard(t, "citizen-1.8")
		if r := e.browser().requestOnline(c, user1, pass1, mail1); r.path != "/request/sent" {
			t.Fatalf("request across instances: %d %s", r.status, r.path)
		}
		codes := e.last().codes(t)
		if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
			t.Fatalf("login across instances: %d %s", r.status, r.path)
		}
		if r := e.browser().requestOnline(c, "", "", ""); r.path != "/request/sent" {
			t.Fatalf("renewal: %d %s", r.status, r.path)
		}
		for range 2 { // once at each instance
			if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path == "/me" {
				t.Fatal("the replaced token still logs in")
			}
		}
	})
}

// A nonce issued by one instance is accepted once, at any instance: of
// many simultaneous presentations at both, exactly one passes.
func TestClusterNonceOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		_, ps := newCluster(t, dsn)
		const sid = "a-session-id"
		nonce, err := ps[0].nonces.Issue(sid)
		if err != nil {
			t.Fatal(err)
		}
		if err := ps[1].nonces.Consume("another-session", nonce); !errors.Is(err, verify.ErrNonceWrongSession) {
			t.Fatalf("wrong session: %v", err)
		}
		nonce, _ = ps[0].nonces.Issue(sid)
		var ok atomic.Int32
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Go(func() {
				switch err := ps[i%2].nonces.Consume(sid, nonce); {
				case err == nil:
					ok.Add(1)
				case !errors.Is(err, verify.ErrNonceUnknown):
					t.Errorf("consume: %v", err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Fatalf("the nonce was accepted %d times, want once", ok.Load())
		}
	})
}

// Two token requests for one citizen at once, one at each instance,
// leave exactly one active token, the one whose codes log in.
func TestClusterSimultaneousTokenRequests(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		e, ps := newCluster(t, dsn)
		c := loadCard(t, "citizen-1.8")
		e.browser().requestOnline(c, user1, pass1, mail1)
		who, _ := findCitizen(context.Background(), e.p.db, "username", user1)
		v := person{NationalNumber: who.NationalNumber, Surname: who.Surname, GivenNames: who.GivenNames,
			Street: who.Street, Zip: who.Zip, Municipality: who.Municipality}
		for round := range 5 {
			var wg sync.WaitGroup
			for i := range 2 {
				wg.Go(func() {
					if _, err := ps[i].issueOnline(context.Background(), v, nil, "nl"); err != nil {
						t.Errorf("round %d, instance %d: %v", round, i, err)
					}
				})
			}
			wg.Wait()
			var active int
			e.p.db.QueryRow(`SELECT COUNT(*) FROM tokens WHERE citizen_id = ? AND status = 'active'`, who.ID).Scan(&active)
			if active != 1 {
				t.Fatalf("round %d: %d active tokens, want 1", round, active)
			}
		}
		last := e.last()
		tok, _ := activeToken(context.Background(), e.p.db, who.ID)
		if tok == nil || tok.Serial != last.serial(t) {
			t.Fatalf("the active token is not the one mailed last")
		}
		codes := last.codes(t)
		if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
			t.Fatalf("the last token's codes: %s", r.path)
		}
	})
}

// Wrong passwords at both instances count toward one lock.
func TestClusterLockoutCountsEverywhere(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		e, ps := newCluster(t, dsn, func(c *Config) { c.MaxLoginFailures = 4 })
		e.browser().requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
		untrusted := func(int64) bool { return false }
		var locked bool
		for i := range 4 {
			res, err := ps[i%2].loginPassword(context.Background(), user1, "not the password", untrusted)
			if err != nil {
				t.Fatal(err)
			}
			if res.locked != (i == 3) {
				t.Fatalf("failure %d: locked=%v", i+1, res.locked)
			}
			locked = res.locked
		}
		for i, p := range ps {
			if res, _ := p.loginPassword(context.Background(), user1, pass1, untrusted); res.citizenID != 0 || !locked {
				t.Errorf("instance %d let the right password through the lock", i)
			}
		}
	})
}

// An activation code used at both instances at once works once.
func TestClusterActivationOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		e, ps := newCluster(t, dsn)
		e.officer()
		code, link := e.register(desk("85.03.14-865.36"))
		secret := strings.TrimPrefix(link, "/activate/")
		var ok atomic.Int32
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				f := accountForm{Username: "jan" + string(rune('a'+i)), Password: "a good password",
					Password2: "a good password"}
				res, key, _, err := ps[i%2].activate(context.Background(), secret, code, f)
				switch {
				case err != nil:
					t.Errorf("activation %d: %v", i, err)
				case res != nil:
					ok.Add(1)
				case key != "err.activation":
					t.Errorf("activation %d: %s", i, key)
				}
			})
		}
		wg.Wait()
		var tokens int
		e.p.db.QueryRow(`SELECT COUNT(*) FROM tokens`).Scan(&tokens)
		if ok.Load() != 1 || tokens != 1 {
			t.Fatalf("%d activations and %d tokens from one code, want 1 and 1", ok.Load(), tokens)
		}
	})
}

// An instance with a data directory of its own, and so a code key of its
// own, refuses to start on a database whose codes another key made.
func TestClusterRefusesAnotherCodeKey(t *testing.T) {
	e, _ := newCluster(t, storetest.Postgres(t))
	cfg := e.cfg
	cfg.DataDir = t.TempDir()
	if p, err := New(cfg); !errors.Is(err, errCodeKeyMismatch) {
		if p != nil {
			p.Close()
		}
		t.Fatalf("an instance with another code key: %v, want errCodeKeyMismatch", err)
	}
}
