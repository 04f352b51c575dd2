package verify

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"sync"
	"time"
)

// Nonce parameters of the Web eID protocol.
const (
	// NonceBytes is the amount of randomness in a nonce; encoded in
	// standard base64 it is NonceLength characters.
	NonceBytes  = 32
	NonceLength = 44
	// NonceLifetime is how long an issued nonce stays usable.
	NonceLifetime = 5 * time.Minute
	// DefaultMaxOutstanding bounds the nonces a MemoryNonceStore holds, so
	// that a flood of challenge requests cannot exhaust memory.
	DefaultMaxOutstanding = 100_000
)

// NonceStore issues challenge nonces bound to a session and lets each be
// consumed once. Implementations must be safe for concurrent use; a
// deployment with several servers needs a shared one (e.g. in the session
// store or a database) with the same semantics as MemoryNonceStore.
type NonceStore interface {
	// Issue returns a fresh nonce bound to sessionID.
	Issue(sessionID string) (string, error)
	// Consume accepts nonce once, for the session it was issued to,
	// before it expires. Errors wrap ErrNonceUnknown, ErrNonceExpired,
	// ErrNonceWrongSession or ErrNonceMalformed.
	Consume(sessionID, nonce string) error
}

// MemoryOptions configure a MemoryNonceStore; zero values take defaults.
type MemoryOptions struct {
	Now            func() time.Time // clock; time.Now by default
	Lifetime       time.Duration    // NonceLifetime by default
	MaxOutstanding int              // DefaultMaxOutstanding by default
	// MaxPerSession bounds the nonces one session holds (a few tabs'
	// worth); issuing one more forgets that session's oldest, so one
	// session cannot fill the store. 0: no bound.
	MaxPerSession int
	// EvictOldest makes a full store forget its oldest nonce instead of
	// refusing to issue: a flood then costs the oldest challenges, not
	// every visitor's next one.
	EvictOldest bool
}

// MemoryNonceStore is an in-process NonceStore. It starts no goroutine:
// expired nonces are swept while issuing, so nothing needs closing.
type MemoryNonceStore struct {
	mu         sync.Mutex
	now        func() time.Time
	lifetime   time.Duration
	max        int
	perSession int
	evict      bool
	nonces     map[string]issuedNonce
	bySession  map[string][]string // each session's nonces, oldest first
	order      []string            // every nonce issued, oldest first (consumed ones too, until skipped)
	nextSweep  time.Time
}

type issuedNonce struct {
	session string
	expires time.Time
}

// NewMemoryNonceStore returns an empty store.
func NewMemoryNonceStore(opts MemoryOptions) *MemoryNonceStore {
	s := &MemoryNonceStore{now: opts.Now, lifetime: opts.Lifetime, max: opts.MaxOutstanding,
		perSession: opts.MaxPerSession, evict: opts.EvictOldest,
		nonces: map[string]issuedNonce{}, bySession: map[string][]string{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.lifetime <= 0 {
		s.lifetime = NonceLifetime
	}
	if s.max <= 0 {
		s.max = DefaultMaxOutstanding
	}
	return s
}

// Issue returns 32 random bytes in standard base64, valid for the
// lifetime and for sessionID only. A session may hold several nonces at
// once (several tabs); each is single use.
func (s *MemoryNonceStore) Issue(sessionID string) (string, error) {
	if sessionID == "" {
		return "", fmt.Errorf("%w: empty session ID", ErrNonce)
	}
	var b [NonceBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("%w: no randomness: %v", ErrNonce, err)
	}
	nonce := base64.StdEncoding.EncodeToString(b[:])

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !now.Before(s.nextSweep) || (len(s.nonces) >= s.max && !s.evict) { // evicting, a full store must stay O(1) a nonce
		s.sweep(now)
	}
	if len(s.nonces) >= s.max && !s.evict {
		return "", fmt.Errorf("%w (%d unexpired)", ErrNonceStoreFull, len(s.nonces))
	}
	for len(s.nonces) >= s.max {
		s.dropOldest()
	}
	if mine := s.bySession[sessionID]; s.perSession > 0 && len(mine) >= s.perSession {
		s.remove(mine[0])
	}
	s.nonces[nonce] = issuedNonce{session: sessionID, expires: now.Add(s.lifetime)}
	s.bySession[sessionID] = append(s.bySession[sessionID], nonce)
	if s.evict {
		s.order = append(s.order, nonce)
	}
	return nonce, nil
}

// dropOldest forgets the oldest nonce still held.
func (s *MemoryNonceStore) dropOldest() {
	for len(s.order) > 0 {
		n := s.order[0]
		s.order = s.order[1:]
		if _, ok := s.nonces[n]; ok {
			s.remove(n)
			return
		}
	}
}

// remove forgets nonce, from its session's list too.
func (s *MemoryNonceStore) remove(nonce string) {
	e, ok := s.nonces[nonce]
	if !ok {
		return
	}
	delete(s.nonces, nonce)
	mine := s.bySession[e.session]
	for i, n := range mine {
		if n == nonce {
			mine = append(mine[:i:i], mine[i+1:]...)
			break
		}
	}
	if len(mine) == 0 {
		delete(s.bySession, e.session)
	} else {
		s.bySession[e.session] = mine
	}
}

// sweep drops expired nonces; it runs at most a few times per lifetime
// unless the store is full, so Issue stays cheap on average.
func (s *MemoryNonceStore) sweep(now time.Time) {
	for n, e := range s.nonces {
		if !now.Before(e.expires) {
			s.remove(n)
		}
	}
	if len(s.order) > 2*len(s.nonces)+64 { // drop what was consumed or swept
		kept := s.order[:0]
		for _, n := range s.order {
			if _, ok := s.nonces[n]; ok {
				kept = append(kept, n)
			}
		}
		s.order = kept
	}
	s.nextSweep = now.Add(s.lifetime / 4)
}

// Consume removes nonce whatever the outcome once it is found: a nonce
// presented by the wrong session may have leaked, so it must not stay
// usable. An expired nonce that a sweep already dropped reads as unknown.
func (s *MemoryNonceStore) Consume(sessionID, nonce string) error {
	s.mu.Lock()
	e, ok := s.nonces[nonce]
	s.remove(nonce)
	now := s.now()
	s.mu.Unlock()

	if !ok {
		if err := CheckNonceSyntax(nonce); err != nil {
			return err
		}
		return ErrNonceUnknown
	}
	switch {
	case subtle.ConstantTimeCompare([]byte(e.session), []byte(sessionID)) != 1:
		return ErrNonceWrongSession
	case !now.Before(e.expires):
		return fmt.Errorf("%w %s ago", ErrNonceExpired, now.Sub(e.expires).Round(time.Second))
	}
	return nil
}

// Outstanding is the number of nonces held, expired ones not yet swept
// included.
func (s *MemoryNonceStore) Outstanding() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.nonces)
}

// CheckNonceSyntax accepts what the Web eID application accepts, 44 to
// 128 characters, and only characters of the standard base64 alphabet,
// so that no whitespace or control character hides in what gets signed.
func CheckNonceSyntax(nonce string) error {
	if len(nonce) < NonceLength || len(nonce) > 128 {
		return fmt.Errorf("%w: %d characters, want %d to 128", ErrNonceMalformed, len(nonce), NonceLength)
	}
	for i := 0; i < len(nonce); i++ {
		c := nonce[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return fmt.Errorf("%w: byte %d (0x%02X) is not a base64 character", ErrNonceMalformed, i, c)
		}
	}
	return nil
}
