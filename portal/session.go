package portal

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

const (
	sessionIdle      = 30 * time.Minute
	sessionLifetime  = 12 * time.Hour
	sessionTouch     = time.Minute // how stale seen_at may get before a request rewrites it
	maxClientSession = 32          // stored sessions of one client address
	csrfField        = "csrf"
	csrfHeader       = "X-CSRF-Token"
)

// session is what the server knows about one browser. An anonymous
// visitor has one too, but it is not stored: its id lives only in the
// browser's cookie and its CSRF token is derived from the id (under a key
// every instance shares), so that no number of cookie-less requests can
// fill the database. A session is stored once it holds state (a login
// step, an eID proof, a result to show), in the database, so that any
// instance serves its next request. Handlers work on a copy and save it
// back.
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
	connect       *connectState  // logging in for a service (h_connect.go)
}

// hasState: the session holds something worth storing.
func (ss *session) hasState() bool {
	return ss.citizenID != 0 || ss.officer != 0 || ss.pending != nil || ss.verified != nil || ss.issued != nil ||
		ss.connect != nil
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
	db     *store.DB
	now    func() time.Time
	key    []byte // derives CSRF tokens from session ids; the same on every instance
	cookie string
	secure bool
	evict  func(why string) // logs an eviction
	fail   func(what string, err error)
	client func(*http.Request) string
}

func newSessions(db *store.DB, key []byte, now func() time.Time, secure bool, evict func(string),
	fail func(string, error), client func(*http.Request) string) *sessions {
	name := "portal"
	if secure {
		name = "__Host-portal" // only ever set by this origin over https
	}
	return &sessions{db: db, now: now, key: key, cookie: name, secure: secure, evict: evict, fail: fail, client: client}
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

// sessionKey is what the database holds of a session id: its hash, so
// that reading the table does not give anyone a live session.
func sessionKey(id string) string {
	h := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// load returns the request's session: the stored one, or an anonymous
// one for a well-formed cookie; nil without a usable cookie. An error
// means the database did not answer.
func (s *sessions) load(r *http.Request) (*session, error) {
	c, err := r.Cookie(s.cookie)
	if err != nil || len(c.Value) != 43 {
		return nil, nil
	}
	if _, err := base64.RawURLEncoding.DecodeString(c.Value); err != nil {
		return nil, nil
	}
	now := s.now()
	ss, err := loadSession(r.Context(), s.db, c.Value)
	switch {
	case err != nil:
		return nil, err
	case ss == nil:
		return &session{id: c.Value, csrf: s.csrfFor(c.Value), created: now, seen: now, client: s.client(r)}, nil
	case now.Sub(ss.seen) > sessionIdle || now.Sub(ss.created) > sessionLifetime:
		return nil, deleteSession(r.Context(), s.db, ss.id)
	}
	ss.csrf = s.csrfFor(ss.id)
	if now.Sub(ss.seen) > sessionTouch {
		ss.seen = now
		if err := touchSession(r.Context(), s.db, ss.id, now); err != nil {
			return nil, err
		}
	}
	return ss, nil
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

// save stores ss when it holds state, and forgets a stored one that no
// longer does. A new session of a client at its cap first evicts that
// client's session idle longest. A failure is logged: the citizen then
// finds the step undone at the next request.
func (s *sessions) save(ss *session) {
	ctx := context.Background() // a step done must be kept even if the client leaves
	if !ss.hasState() {
		s.forget(ss)
		return
	}
	if !ss.stored {
		evicted, err := makeClientRoom(ctx, s.db, ss.client, maxClientSession)
		if err != nil {
			s.fail("make room for a session", err)
			return
		}
		if evicted {
			s.evict("this client's session limit")
		}
	}
	if err := saveSession(ctx, s.db, ss); err != nil {
		s.fail("save a session", err)
		return
	}
	ss.stored = true
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
	if err := deleteSession(context.Background(), s.db, ss.id); err != nil {
		s.fail("forget a session", err)
	}
}

// end forgets ss and expires the cookie.
func (s *sessions) end(w http.ResponseWriter, ss *session) {
	s.forget(ss)
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// sweep drops expired sessions; the periodic sweeper calls it.
func (s *sessions) sweep(ctx context.Context) error {
	now := s.now()
	return sweepSessions(ctx, s.db, now.Add(-sessionIdle), now.Add(-sessionLifetime))
}

// stored counts the sessions held, for tests and metrics.
func (s *sessions) stored() int {
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n)
	return n
}

// csrfOK checks the token of a form field or of the JSON header.
func (ss *session) csrfOK(r *http.Request) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(ss.csrf)) == 1
}
