package demoservice

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// pendingLogin is a login on its way through the provider, kept on the
// server under the id in the browser's login cookie: whoever comes back
// to /callback must bring both that cookie and the state.
type pendingLogin struct {
	state    string
	nonce    string
	verifier string // PKCE: the code is worth nothing without it
	eidOnly  bool   // the citizen asked for the eID: the answer must say so
}

// callTimeout bounds each call to the provider, so that a stuck provider
// shows the citizen an error rather than a page that never loads.
const callTimeout = 10 * time.Second

// login starts a login: a fresh state, nonce and PKCE verifier, then off
// to the provider. ?eid=1 asks the provider for the eID only.
func (s *Service) login(w http.ResponseWriter, r *http.Request) {
	cat := s.lang(w, r)
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	op, err := s.op.get(ctx)
	if err != nil {
		s.log.Warn("login: the provider is not available", "err", err)
		s.message(w, cat, http.StatusServiceUnavailable, "err.title", "err.unavailable", "")
		return
	}
	p := pendingLogin{state: newID(), nonce: newID(), verifier: oauth2.GenerateVerifier(),
		eidOnly: r.URL.Query().Get("eid") == "1"}
	id := newID()
	s.logins.put(id, p)
	s.setCookie(w, loginCookie, id, "/callback", int(loginTTL/time.Second))
	opts := []oauth2.AuthCodeOption{oidc.Nonce(p.nonce), oauth2.S256ChallengeOption(p.verifier),
		oauth2.SetAuthURLParam("ui_locales", cat.Lang)}
	if p.eidOnly {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", ACREID))
	}
	http.Redirect(w, r, op.oauth.AuthCodeURL(p.state, opts...), http.StatusSeeOther)
}

// callback is where the provider sends the browser back: with an error,
// or with a code that the service exchanges and checks.
func (s *Service) callback(w http.ResponseWriter, r *http.Request) {
	cat := s.lang(w, r)
	q := r.URL.Query()
	p, refused := s.takeLogin(w, r, q.Get("state"))
	if e := q.Get("error"); e != "" {
		s.providerError(w, cat, e, q.Get("error_description"))
		return
	}
	op := s.op.known() // there since /login, which a real login went through
	switch {
	case refused != "":
		s.log.Warn("callback refused", "why", refused)
		s.message(w, cat, http.StatusBadRequest, "err.title", refused, "")
		return
	case op == nil || q.Get("code") == "":
		s.log.Warn("callback: no code, or no provider", "code", q.Get("code") != "")
		s.message(w, cat, http.StatusBadRequest, "err.title", "err.failed", "")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	defer cancel()
	acct, err := s.finish(s.op.ctx(ctx), op, p, q.Get("code"))
	if err != nil {
		s.log.Warn("callback: login refused", "err", err)
		key := "err.failed"
		if errors.Is(err, errNotEID) {
			key = "err.acr"
		}
		s.message(w, cat, http.StatusBadGateway, "err.title", key, "")
		return
	}
	s.startSession(w, r, acct)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// takeLogin finds the login this callback answers: the cookie's entry,
// with the same state; else it says which message explains the refusal.
// The entry is used up only when the state matches, so that a forged
// callback cannot cancel a login in progress.
func (s *Service) takeLogin(w http.ResponseWriter, r *http.Request, state string) (pendingLogin, string) {
	id := cookie(r, loginCookie)
	p, ok := s.logins.get(id)
	switch {
	case id == "" || !ok:
		return p, "err.expired" // no cookie, or one this service did not give out (or long ago)
	case !equal(state, p.state):
		return p, "err.state"
	}
	s.logins.del(id)
	s.setCookie(w, loginCookie, "", "/callback", -1)
	return p, ""
}
