package main

import (
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/eidbridge/eidbridge/verify"
	"github.com/eidbridge/eidbridge/webext"
)

//go:embed page.html
var page []byte

const (
	challengeCookie = "eid-challenge" // binds the nonces to the browser before login
	sessionCookie   = "eid-session"
	sessionLifetime = 8 * time.Hour
)

// site is the login: a validator, a nonce store, the open sessions.
type site struct {
	validator *verify.Validator
	nonces    verify.NonceStore
	secure    bool // cookies only over https
	mu        sync.Mutex
	sessions  map[string]session
}

type session struct {
	citizen *verify.Citizen
	expires time.Time
}

func newSite(cfg verify.Config) (*site, error) {
	v, err := verify.NewValidator(cfg)
	if err != nil {
		return nil, fmt.Errorf("eID validator: %w", err)
	}
	return &site{
		validator: v,
		nonces:    verify.NewMemoryNonceStore(verify.MemoryOptions{MaxPerSession: 8, EvictOldest: true}),
		secure:    strings.HasPrefix(v.Origin(), "https:"),
		sessions:  map[string]session{},
	}, nil
}

func (s *site) routes() http.Handler {
	client, _ := fs.Sub(webext.ClientFS, "client") // the eidbridge JavaScript client
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.Handle("GET /eidbridge/", http.StripPrefix("/eidbridge/", http.FileServerFS(client)))
	mux.HandleFunc("POST /login/challenge", s.challenge)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("GET /me", s.me)
	mux.HandleFunc("POST /logout", s.logout)
	return mux
}

// challenge issues a nonce bound to this browser's challenge cookie.
func (s *site) challenge(w http.ResponseWriter, r *http.Request) {
	id := rand.Text()
	if c, err := r.Cookie(challengeCookie); err == nil && c.Value != "" {
		id = c.Value
	}
	nonce, err := s.nonces.Issue(id)
	if err != nil {
		http.Error(w, "try again later", http.StatusServiceUnavailable)
		return
	}
	s.setCookie(w, challengeCookie, id, verify.NonceLifetime)
	writeJSON(w, map[string]string{"nonce": nonce})
}

// login validates the token for the nonce this browser was given (the
// nonce is spent either way), revocation included, and opens a session
// under a new ID.
func (s *site) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Nonce string          `json:"nonce"`
		Token json.RawMessage `json:"token"`
	}
	c, err := r.Cookie(challengeCookie)
	if err == nil {
		err = json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req)
	}
	if err != nil {
		http.Error(w, "no challenge or a malformed request", http.StatusBadRequest)
		return
	}
	citizen, err := s.validator.ValidateSession(s.nonces, c.Value, req.Nonce, req.Token)
	if err != nil {
		log.Printf("eID login refused: %v", err)
		status := http.StatusUnauthorized
		if errors.Is(err, verify.ErrRevocation) {
			status = http.StatusForbidden // revoked, or the responder did not answer
		}
		http.Error(w, "login refused", status)
		return
	}
	s.setCookie(w, sessionCookie, s.open(citizen), sessionLifetime)
	writeJSON(w, map[string]string{"name": citizen.GivenNames + " " + citizen.Surname})
}

// open stores a session under a new random ID, dropping expired ones (a
// real site keeps them in its own session store).
func (s *site) open(cz *verify.Citizen) string {
	id, now := rand.Text(), time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, ss := range s.sessions {
		if now.After(ss.expires) {
			delete(s.sessions, k)
		}
	}
	s.sessions[id] = session{cz, now.Add(sessionLifetime)}
	return id
}

// me says who is logged in; a site would look the national number up.
func (s *site) me(w http.ResponseWriter, r *http.Request) {
	cz := s.citizen(r)
	if cz == nil {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	writeJSON(w, map[string]string{"name": cz.GivenNames + " " + cz.Surname, "revocation": cz.Revocation})
}

func (s *site) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	s.setCookie(w, sessionCookie, "", -time.Second) // a negative MaxAge deletes it
	w.WriteHeader(http.StatusNoContent)
}

// citizen is the session's citizen, nil when there is none.
func (s *site) citizen(r *http.Request) *verify.Citizen {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[c.Value]
	if !ok || time.Now().After(ss.expires) {
		return nil
	}
	return ss.citizen
}

func (s *site) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
