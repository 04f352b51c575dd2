package portal

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

// A service login across instances, each request to the next one: the
// request, its code, the token and the signing keys live in the
// database. Two exchanges of one code at once, on two instances, give
// one token (which the second, a replay, may then revoke).
func TestServiceLoginAcrossInstances(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		e, _ := newCluster(t, dsn)
		c := loadCard(t, "citizen-1.8")
		codes := e.citizenWithToken(c)
		svc := newRP(t, e, "pensions")
		a := svc.start()
		svc.mustFinish(a, e.serviceBrowser().loginWithToken(a, codes))

		a = svc.start()
		code := back(t, e.serviceBrowser().loginWithEID(a, c)).Get("code")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() { _, errs[i] = svc.conf.Exchange(svc.ctx, code, oauth2.VerifierOption(a.verifier)) })
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("two simultaneous exchanges of one code: %v, %v", errs[0], errs[1])
		}
	})
}

// Signing keys rotate: the next key is published a day before it signs,
// the previous one stays published through the following period, and
// every instance signs with the same key.
func TestSigningKeyRotation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		e, _ := newCluster(t, dsn)
		c := loadCard(t, "citizen-1.8")
		svc := newRP(t, e, "pensions")
		login := func() string {
			a := svc.start()
			return svc.mustFinish(a, e.serviceBrowser().loginWithEID(a, c)).kid(t)
		}
		first := login()
		if again := login(); again != first {
			t.Fatalf("two instances signed with %s and %s", first, again)
		}
		period := 7 * 24 * time.Hour
		untilNext := period - time.Duration(e.clock.now().UnixNano()%int64(period))
		e.clock.add(untilNext - 12*time.Hour) // half a day before the next period
		login()                               // signing announces the next key
		keys := e.jwks(t)
		if len(keys) != 2 || !keys[first] || login() != first {
			t.Fatalf("before the period ends: JWKS %v, still signing with %s?", keys, first)
		}
		e.clock.add(13 * time.Hour)
		second := login()
		if second == first || !e.jwks(t)[first] || !e.jwks(t)[second] {
			t.Fatalf("in the next period: signed with %s (first %s), JWKS %v", second, first, e.jwks(t))
		}
		e.clock.add(period)
		e.p.idp.Sweep(t.Context())
		if third := login(); e.jwks(t)[first] || third == second {
			t.Fatalf("two periods on: JWKS %v still has %s, or %s signs again", e.jwks(t), first, second)
		}
	})
}

// kid is the key id in the ID token's header.
func (r *result) kid(t testing.TB) string {
	t.Helper()
	var h struct{ Kid string }
	head, _, _ := cutDot(r.raw)
	if err := json.Unmarshal(decodeSegment(t, head), &h); err != nil || h.Kid == "" {
		t.Fatalf("ID token header: %v", err)
	}
	return h.Kid
}

// jwks is the set of key ids the provider publishes.
func (e *env) jwks(t testing.TB) map[string]bool {
	t.Helper()
	r, err := e.srv.Client().Get(e.srv.URL + "/keys")
	if err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("JWKS: %v", err)
	}
	defer r.Body.Close()
	var set struct{ Keys []struct{ Kid, Alg string } }
	if err := json.NewDecoder(r.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, k := range set.Keys {
		ids[k.Kid] = k.Alg == "ES256"
	}
	return ids
}
