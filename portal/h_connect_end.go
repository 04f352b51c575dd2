package portal

import (
	"net/http"

	"github.com/eidbridge/eidbridge/portal/idp"
)

func (p *Portal) handleConsent(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.connect == nil || ss.connect.Person == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if pend, ok := p.pending(w, r, ss, ss.connect.ID); ok {
		p.render(w, r, ss, http.StatusOK, "consent", "connect.consent.title", "", connectPage{Service: pend.Service})
	}
}

// handleConsentPost completes the login with or without the national
// register number, as the citizen chose.
func (p *Portal) handleConsentPost(w http.ResponseWriter, r *http.Request, ss *session) {
	c := ss.connect
	if c == nil || c.Person == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	share := r.PostFormValue("share") == "yes"
	next, key := p.complete(r, ss, idp.Login{Person: *c.Person, Method: c.Method, At: c.At, ShareNN: share})
	if key != "" {
		p.fail(w, r, ss, http.StatusConflict, key)
		return
	}
	p.leave(w, r, ss, c.Service, next)
}

// handleConnectCancel sends the citizen back to the service, which learns
// only that they did not log in (access_denied).
func (p *Portal) handleConnectCancel(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.connect == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	service := ss.connect.Service
	if back, ok := p.refuseConnect(w, r, ss, ss.connect.ID, false); ok {
		p.leave(w, r, ss, service, back)
	}
}

// refuseConnect ends the request and gives the address that takes the
// browser back to the service with the error; false when it answered.
func (p *Portal) refuseConnect(w http.ResponseWriter, r *http.Request, ss *session, id string, loginRequired bool) (string, bool) {
	if ss.connect != nil {
		ss.connect = nil
		p.sess.save(ss)
	}
	back, err := p.idp.Refuse(r, id, loginRequired)
	if err != nil {
		p.message(w, r, ss, http.StatusGone, "connect.title", p.connectErr(err))
		return "", false
	}
	return back, true
}

// handleCallback lets the provider give the service its code, but only
// to the browser session that completed the login: a request id seen in
// a log or a Referer is worth nothing elsewhere.
func (p *Portal) handleCallback(w http.ResponseWriter, r *http.Request, ss *session) {
	c := ss.connect
	if c == nil || !c.Done || c.ID != r.URL.Query().Get("id") {
		p.event(r, evRefused, "reason", "service login callback from another session")
		p.fail(w, r, ss, http.StatusForbidden, "err.connect.session")
		return
	}
	ss.connect = nil
	p.sess.save(ss)
	p.idp.ServeHTTP(w, r)
}
