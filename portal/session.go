package portal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"sync"
	"time"
)

const (
	sessionIdle     = 30 * time.Minute
	sessionLifetime = 12 * time.Hour
	maxSessions     = 100_000
	csrfField       = "csrf"
	csrfHeader      = "X-CSRF-Token"
)

var errSessionsFull = errors.New("too many sessions")

// session is what the server remembers about one browser. Handlers work
// on a copy and save it back.
type session struct {
	id, csrf      string
	created, seen time.Time
	citizenID     int64          // logged in as, 0 when not
	officer       bool           // passed the officer password
	pending       *pendingLogin  // password accepted, code asked
	verified      *verifiedEID   // eID checked, account still to create
	issued        *issuedMessage // what the last "sent" page reports
}

type pendingLogin struct {
	citizenID int64
	position  int
}

// issuedMessage tells the result page where a token went.
type issuedMessage struct{ serial, email string }

type sessions struct {
	mu     sync.Mutex
	m      map[string]*session
	now    func() time.Time
	cookie string
	secure bool
}

func newSessions(now func() time.Time, secure bool) *sessions {
	name := "portal"
	if secure {
		name = "__Host-portal" // only ever set by this origin over https
	}
	return &sessions{m: map[string]*session{}, now: now, cookie: name, secure: secure}
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// load returns the request's live session, or nil.
func (s *sessions) load(r *http.Request) *session {
	c, err := r.Cookie(s.cookie)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[c.Value]
	now := s.now()
	if !ok || now.Sub(ss.seen) > sessionIdle || now.Sub(ss.created) > sessionLifetime {
		delete(s.m, c.Value)
		return nil
	}
	ss.seen = now
	cp := *ss
	return &cp
}

// start creates a session and sets its cookie.
func (s *sessions) start(w http.ResponseWriter) (*session, error) {
	now := s.now()
	ss := &session{id: randomToken(), csrf: randomToken(), created: now, seen: now}
	s.mu.Lock()
	if len(s.m) >= maxSessions {
		s.sweepLocked(now)
	}
	full := len(s.m) >= maxSessions
	if !full {
		s.m[ss.id] = ss
	}
	s.mu.Unlock()
	if full {
		return nil, errSessionsFull
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: ss.id, Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode})
	cp := *ss
	return &cp, nil
}

// save stores a modified copy back, unless the session ended meanwhile.
func (s *sessions) save(ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[ss.id]; ok {
		cp := *ss
		s.m[ss.id] = &cp
	}
}

// rotate gives ss a new id and CSRF token, so that a session id planted
// before a login (fixation) is worthless after it.
func (s *sessions) rotate(w http.ResponseWriter, ss *session) (*session, error) {
	s.forget(ss)
	ns, err := s.start(w)
	if err != nil {
		return nil, err
	}
	id, csrf, created, seen := ns.id, ns.csrf, ns.created, ns.seen
	*ns = *ss
	ns.id, ns.csrf, ns.created, ns.seen = id, csrf, created, seen
	s.save(ns)
	return ns, nil
}

func (s *sessions) forget(ss *session) {
	s.mu.Lock()
	delete(s.m, ss.id)
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
			delete(s.m, id)
		}
	}
}

// sweep drops expired sessions; the periodic sweeper calls it.
func (s *sessions) sweep() {
	s.mu.Lock()
	s.sweepLocked(s.now())
	s.mu.Unlock()
}

// csrfOK checks the token of a form field or of the JSON header.
func (ss *session) csrfOK(r *http.Request) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(ss.csrf)) == 1
}
