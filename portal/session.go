package portal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

const (
	sessionIdle      = 30 * time.Minute
	sessionLifetime  = 12 * time.Hour
	maxSessions      = 100_000
	maxClientSession = 32 // stored sessions of one client address
	csrfField        = "csrf"
	csrfHeader       = "X-CSRF-Token"
)

// session is what the server knows about one browser. An anonymous
// visitor has one too, but it is not stored: its id lives only in the
// browser's cookie and its CSRF token is derived from the id, so that no
// number of cookie-less requests can fill the server. A session is
// stored once it holds state (a login step, an eID proof, a result to
// show). Handlers work on a copy and save it back.
type session struct {
	id, csrf      string
	created, seen time.Time
	client        string // the client address, for the per-client cap
	stored        bool
	citizenID     int64          // logged in as, 0 when not
	epoch         int64          // the citizen's session epoch at login (session_epoch.go)
	officer       int64          // logged in as this desk officer, 0 when not
	pending       *pendingLogin  // password accepted, code asked
	verified      *verifiedEID   // eID checked, account still to create
	issued        *issuedMessage // what the last "sent" page reports
}

// hasState: the session holds something worth storing.
func (ss *session) hasState() bool {
	return ss.citizenID != 0 || ss.officer != 0 || ss.pending != nil || ss.verified != nil || ss.issued != nil
}

type pendingLogin struct {
	citizenID int64
	position  int
	trusted   bool // from a browser of the citizen (device.go)
}

// issuedMessage tells the result page where a token went.
type issuedMessage struct {
	serial, email string
	replaced      bool // a previous token stopped working
}

type sessions struct {
	mu     sync.Mutex
	m      map[string]*session
	counts map[string]int // stored sessions per client, so a new one costs no scan
	now    func() time.Time
	key    []byte // derives CSRF tokens from session ids
	cookie string
	secure bool
	evict  func(why string) // logs an eviction
	client func(*http.Request) string
}

func newSessions(now func() time.Time, secure bool, evict func(string), client func(*http.Request) string) *sessions {
	name := "portal"
	if secure {
		name = "__Host-portal" // only ever set by this origin over https
	}
	key := make([]byte, 32)
	rand.Read(key)
	return &sessions{m: map[string]*session{}, counts: map[string]int{}, now: now, key: key, cookie: name, secure: secure, evict: evict,
		client: client}
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// csrfFor is the CSRF token of session id: whoever can read the page can
// post it, whoever merely knows the site cannot make it.
func (s *sessions) csrfFor(id string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// load returns the request's session: the stored one, or an anonymous
// one for a well-formed cookie; nil without a usable cookie.
func (s *sessions) load(r *http.Request) *session {
	c, err := r.Cookie(s.cookie)
	if err != nil || len(c.Value) != 43 {
		return nil
	}
	if _, err := base64.RawURLEncoding.DecodeString(c.Value); err != nil {
		return nil
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[c.Value]
	if ok && (now.Sub(ss.seen) > sessionIdle || now.Sub(ss.created) > sessionLifetime) {
		s.dropLocked(c.Value)
		return nil
	}
	if !ok {
		return &session{id: c.Value, csrf: s.csrfFor(c.Value), created: now, seen: now, client: s.client(r)}
	}
	ss.seen = now
	cp := *ss
	return &cp
}

// start begins an anonymous session and sets its cookie; nothing is
// stored.
func (s *sessions) start(w http.ResponseWriter, r *http.Request) *session {
	now := s.now()
	ss := &session{id: randomToken(), created: now, seen: now, client: s.client(r)}
	ss.csrf = s.csrfFor(ss.id)
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: ss.id, Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode})
	return ss
}

// save stores a modified copy back when it holds state, and forgets a
// stored one that no longer does. A full table makes room by evicting
// the session idle longest, and one client holds a bounded share.
func (s *sessions) save(ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.m[ss.id]
	if !ss.hasState() {
		s.dropLocked(ss.id)
		return
	}
	if !ok {
		s.makeRoomLocked(ss.client)
	}
	cp := *ss
	cp.stored = true
	if ok {
		cp.client = old.client // counted under the client that stored it
	} else {
		s.counts[cp.client]++
	}
	s.m[ss.id] = &cp
}

// dropLocked forgets a stored session and its place in the counts.
func (s *sessions) dropLocked(id string) {
	ss, ok := s.m[id]
	if !ok {
		return
	}
	delete(s.m, id)
	if s.counts[ss.client]--; s.counts[ss.client] <= 0 {
		delete(s.counts, ss.client)
	}
}

// makeRoomLocked evicts expired sessions, then the oldest of a client at
// its cap, then the one idle longest when the table is full. Only these
// rare cases scan the table.
func (s *sessions) makeRoomLocked(client string) {
	if len(s.m) >= maxSessions {
		s.sweepLocked(s.now())
	}
	switch {
	case s.counts[client] >= maxClientSession:
		s.dropLocked(s.idleLongestLocked(func(o *session) bool { return o.client == client }))
		s.evict("this client's session limit")
	case len(s.m) >= maxSessions:
		s.dropLocked(s.idleLongestLocked(func(*session) bool { return true }))
		s.evict("the session table is full")
	}
}

// idleLongestLocked is the id of the session idle longest among those
// that match.
func (s *sessions) idleLongestLocked(match func(*session) bool) string {
	var oldest *session
	for _, o := range s.m {
		if match(o) && (oldest == nil || o.seen.Before(oldest.seen)) {
			oldest = o
		}
	}
	if oldest == nil {
		return ""
	}
	return oldest.id
}

// rotate gives ss a new id (and so a new CSRF token), so that a session
// id planted before a login (fixation) is worthless after it.
func (s *sessions) rotate(w http.ResponseWriter, r *http.Request, ss *session) *session {
	s.forget(ss)
	ns := s.start(w, r)
	id, csrf, created, seen := ns.id, ns.csrf, ns.created, ns.seen
	*ns = *ss
	ns.id, ns.csrf, ns.created, ns.seen, ns.stored = id, csrf, created, seen, false
	s.save(ns)
	return ns
}

func (s *sessions) forget(ss *session) {
	s.mu.Lock()
	s.dropLocked(ss.id)
	s.mu.Unlock()
}

// end forgets ss and expires the cookie.
func (s *sessions) end(w http.ResponseWriter, ss *session) {
	s.forget(ss)
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

func (s *sessions) sweepLocked(now time.Time) {
	for id, ss := range s.m {
		if now.Sub(ss.seen) > sessionIdle || now.Sub(ss.created) > sessionLifetime {
			s.dropLocked(id)
		}
	}
}

// sweep drops expired sessions; the periodic sweeper calls it.
func (s *sessions) sweep() {
	s.mu.Lock()
	s.sweepLocked(s.now())
	s.mu.Unlock()
}

// stored counts the sessions held, for tests and metrics.
func (s *sessions) stored() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// csrfOK checks the token of a form field or of the JSON header.
func (ss *session) csrfOK(r *http.Request) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(ss.csrf)) == 1
}
