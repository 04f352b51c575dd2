package demoservice

import (
	"net/http"
	"net/url"
)

// session is a logged-in browser: its account and the token its logout
// form must carry.
type session struct {
	acct account
	csrf string
}

// startSession logs the browser in under a fresh id, dropping the one it
// had, so that an id planted before the login is worth nothing after it.
func (s *Service) startSession(w http.ResponseWriter, r *http.Request, acct account) {
	if old := cookie(r, sessionCookie); old != "" {
		s.sessions.del(old)
	}
	id := newID()
	s.sessions.put(id, session{acct: acct, csrf: newID()})
	s.setCookie(w, sessionCookie, id, "/", 0)
}

// current is the browser's session and its id, if it has one.
func (s *Service) current(r *http.Request) (session, string, bool) {
	id := cookie(r, sessionCookie)
	if id == "" {
		return session{}, "", false
	}
	sess, ok := s.sessions.get(id)
	return sess, id, ok
}

// home is the login page, or the citizen's page once logged in.
func (s *Service) home(w http.ResponseWriter, r *http.Request) {
	cat := s.lang(w, r)
	if sess, _, ok := s.current(r); ok {
		s.render(w, http.StatusOK, "me", s.mePage(cat, sess))
		return
	}
	s.render(w, http.StatusOK, "home", page{L: cat, Title: "home.title", Langs: languages})
}

// logout ends the local session, then sends the browser to the provider
// to end its session there too. It is a post with the session's CSRF
// token: a link on another site must not log the citizen out.
func (s *Service) logout(w http.ResponseWriter, r *http.Request) {
	cat := s.lang(w, r)
	sess, id, ok := s.current(r)
	if !ok {
		http.Redirect(w, r, "/", http.StatusSeeOther) // nothing to end here
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if !s.sameOrigin(r) || !equal(r.PostFormValue("csrf"), sess.csrf) {
		s.log.Warn("logout refused: no CSRF token of this session, or another site's form")
		s.message(w, cat, http.StatusForbidden, "err.logout.title", "err.csrf", "")
		return
	}
	s.sessions.del(id)
	s.setCookie(w, sessionCookie, "", "/", -1)
	http.Redirect(w, r, s.endSessionURL(sess.acct.idToken, cat.Lang), http.StatusSeeOther)
}

// endSessionURL is the provider's logout with the ID token as the hint
// and the way back to the service's home, or that home when the provider
// offers no logout.
func (s *Service) endSessionURL(idToken, lang string) string {
	op := s.op.known()
	if op == nil || op.endSession == "" {
		return "/"
	}
	u, err := url.Parse(op.endSession)
	if err != nil {
		s.log.Warn("logout: the provider's end_session_endpoint is not a URL", "err", err)
		return "/"
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("post_logout_redirect_uri", s.cfg.Origin+"/")
	q.Set("client_id", s.cfg.ClientID)
	q.Set("ui_locales", lang)
	u.RawQuery = q.Encode()
	return u.String()
}
