package verify_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/verify"
)

// fakeClock is a settable clock safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newStore(max int) (*verify.MemoryNonceStore, *fakeClock) {
	clk := &fakeClock{t: genNow}
	return verify.NewMemoryNonceStore(verify.MemoryOptions{Now: clk.Now, MaxOutstanding: max}), clk
}

func issue(t *testing.T, s verify.NonceStore, session string) string {
	t.Helper()
	n, err := s.Issue(session)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return n
}

func TestNonceShape(t *testing.T) {
	s, _ := newStore(0)
	seen := map[string]bool{}
	for range 200 {
		n := issue(t, s, "session")
		raw, err := base64.StdEncoding.Strict().DecodeString(n)
		if len(n) != verify.NonceLength || err != nil || len(raw) != verify.NonceBytes {
			t.Fatalf("nonce %q: %d characters, %d bytes, %v", n, len(n), len(raw), err)
		}
		if seen[n] {
			t.Fatalf("nonce %q issued twice", n)
		}
		seen[n] = true
		if err := verify.CheckNonceSyntax(n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Issue(""); !errors.Is(err, verify.ErrNonce) {
		t.Errorf("empty session: %v", err)
	}
}

func TestNonceSingleUse(t *testing.T) {
	s, _ := newStore(0)
	n := issue(t, s, "A")
	if err := s.Consume("A", n); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if err := s.Consume("A", n); !errors.Is(err, verify.ErrNonceUnknown) {
		t.Errorf("second use: %v, want ErrNonceUnknown", err)
	}
	if err := s.Consume("A", "AAAA"); !errors.Is(err, verify.ErrNonceMalformed) {
		t.Errorf("malformed: %v, want ErrNonceMalformed", err)
	}
	if s.Outstanding() != 0 {
		t.Errorf("%d nonces left", s.Outstanding())
	}
}

func TestNonceWrongSession(t *testing.T) {
	s, _ := newStore(0)
	n := issue(t, s, "A")
	if err := s.Consume("B", n); !errors.Is(err, verify.ErrNonceWrongSession) || !errors.Is(err, verify.ErrNonce) {
		t.Errorf("other session: %v, want ErrNonceWrongSession", err)
	}
	// Presented elsewhere, it may have leaked: it is gone for A too.
	if err := s.Consume("A", n); !errors.Is(err, verify.ErrNonceUnknown) {
		t.Errorf("owner after leak: %v, want ErrNonceUnknown", err)
	}
}

func TestNonceExpiry(t *testing.T) {
	s, clk := newStore(0)
	early, late := issue(t, s, "A"), issue(t, s, "A")
	clk.Advance(verify.NonceLifetime - time.Nanosecond)
	if err := s.Consume("A", early); err != nil {
		t.Errorf("just before expiry: %v", err)
	}
	clk.Advance(time.Nanosecond)
	if err := s.Consume("A", late); !errors.Is(err, verify.ErrNonceExpired) {
		t.Errorf("at expiry: %v, want ErrNonceExpired", err)
	}
}

func TestNonceSweepAndLimit(t *testing.T) {
	s, clk := newStore(3)
	for range 3 {
		issue(t, s, "A")
	}
	if _, err := s.Issue("B"); !errors.Is(err, verify.ErrNonceStoreFull) {
		t.Errorf("over the limit: %v, want ErrNonceStoreFull", err)
	}
	clk.Advance(verify.NonceLifetime)
	n := issue(t, s, "B") // sweeps the three expired ones
	if got := s.Outstanding(); got != 1 {
		t.Errorf("%d outstanding after the sweep, want 1", got)
	}
	if err := s.Consume("B", n); err != nil {
		t.Error(err)
	}
}

// TestNonceConcurrent: under contention each nonce is accepted exactly
// once (run with -race too).
func TestNonceConcurrent(t *testing.T) {
	s, _ := newStore(0)
	nonces := make([]string, 50)
	for i := range nonces {
		nonces[i] = issue(t, s, "A")
	}
	var ok atomic.Int32
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for _, n := range nonces {
				if s.Consume("A", n) == nil {
					ok.Add(1)
				}
				if _, err := s.Issue("S" + string(rune('0'+g))); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if ok.Load() != int32(len(nonces)) {
		t.Errorf("%d successful consumptions of %d nonces", ok.Load(), len(nonces))
	}
}

func TestValidateSession(t *testing.T) {
	f := loadFixture(t, "citizen-1.7")
	v := f.validator(t)
	s, clk := newStore(0)
	n := issue(t, s, "A")
	tok := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "RS256", nonce: n})
	if _, err := v.ValidateSession(s, "A", n, tok); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if _, err := v.ValidateSession(s, "A", n, tok); !errors.Is(err, verify.ErrNonceUnknown) {
		t.Errorf("replay: %v, want ErrNonceUnknown", err)
	}

	n = issue(t, s, "A")
	tok = makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "RS256", nonce: n})
	if _, err := v.ValidateSession(s, "B", n, tok); !errors.Is(err, verify.ErrNonceWrongSession) {
		t.Errorf("other session: %v, want ErrNonceWrongSession", err)
	}

	n = issue(t, s, "A")
	tok = makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "RS256", nonce: n})
	clk.Advance(verify.NonceLifetime + time.Second)
	if _, err := v.ValidateSession(s, "A", n, tok); !errors.Is(err, verify.ErrNonceExpired) {
		t.Errorf("expired: %v, want ErrNonceExpired", err)
	}
}

// TestValidateSessionSpendsNonceOnFailure: a rejected token still uses
// up the nonce, so a nonce allows a single attempt.
func TestValidateSessionSpendsNonceOnFailure(t *testing.T) {
	f := loadFixture(t, "citizen-1.7")
	v := f.validator(t)
	s, _ := newStore(0)
	n := issue(t, s, "A")
	bad := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "RS256", nonce: n, origin: "https://evil.example"})
	if _, err := v.ValidateSession(s, "A", n, bad); !errors.Is(err, verify.ErrSignature) {
		t.Fatalf("bad token: %v, want ErrSignature", err)
	}
	good := makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "RS256", nonce: n})
	if _, err := v.ValidateSession(s, "A", n, good); !errors.Is(err, verify.ErrNonceUnknown) {
		t.Errorf("retry with the spent nonce: %v, want ErrNonceUnknown", err)
	}
}

// One session holds at most MaxPerSession nonces: a new one forgets its
// oldest, and other sessions keep theirs.
func TestNoncePerSessionLimit(t *testing.T) {
	s := verify.NewMemoryNonceStore(verify.MemoryOptions{MaxPerSession: 2})
	other := issue(t, s, "B")
	first := issue(t, s, "A")
	for range 100 {
		issue(t, s, "A")
	}
	if got := s.Outstanding(); got != 3 {
		t.Errorf("%d nonces held after 101 for one session, want 2 of it and 1 of another", got)
	}
	if err := s.Consume("A", first); !errors.Is(err, verify.ErrNonceUnknown) {
		t.Errorf("the session's oldest nonce: %v, want forgotten", err)
	}
	if err := s.Consume("B", other); err != nil {
		t.Errorf("another session's nonce: %v", err)
	}
}

// A full store that evicts forgets its oldest nonce, never refusing the
// next visitor.
func TestNonceEvictOldest(t *testing.T) {
	s := verify.NewMemoryNonceStore(verify.MemoryOptions{MaxOutstanding: 10, EvictOldest: true})
	oldest := issue(t, s, "victim")
	var last string
	for i := range 50 {
		last = issue(t, s, fmt.Sprint("flood ", i))
	}
	if got := s.Outstanding(); got != 10 {
		t.Errorf("%d held, want the limit 10", got)
	}
	if err := s.Consume("victim", oldest); !errors.Is(err, verify.ErrNonceUnknown) {
		t.Errorf("the oldest nonce: %v, want evicted", err)
	}
	if err := s.Consume("flood 49", last); err != nil {
		t.Errorf("the newest nonce: %v", err)
	}
}
