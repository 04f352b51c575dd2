package portal

import (
	"database/sql"
	"net/http"
)

func (p *Portal) handleLogin(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.connect != nil { // the citizen left a service's login for the portal's own
		ss.connect = nil
		p.sess.save(ss)
	}
	p.render(w, r, ss, http.StatusOK, "login", "login.title", "", nil)
}

// handleLoginPost checks username and password, then asks for a code.
func (p *Portal) handleLoginPost(w http.ResponseWriter, r *http.Request, ss *session) {
	if !p.limit.allow(r) {
		p.event(r, evRateLimited)
		p.render(w, r, ss, http.StatusTooManyRequests, "login", "login.title", "err.rate", nil)
		return
	}
	leave, key := p.hashes.enter(r)
	if key != "" {
		p.event(r, evRateLimited, "reason", "password checks of this network")
		p.render(w, r, ss, http.StatusTooManyRequests, "login", "login.title", key, nil)
		return
	}
	trusted := func(id int64) bool { return p.trustedDevice(r, id) }
	res, err := p.loginPassword(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"), trusted)
	leave()
	if err != nil {
		p.log.Error("login", "err", err)
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		return
	}
	if res.errKey != "" {
		p.event(r, evLoginFailed, "citizen", res.who, "reason", res.why)
		if res.locked {
			p.event(r, evLocked, "citizen", res.who)
		}
		p.render(w, r, ss, http.StatusUnauthorized, "login", "login.title", res.errKey, nil)
		return
	}
	// A new id at each step of a login, and no other role carried over:
	// an officer's session does not become a citizen's.
	ss = p.sess.rotate(w, r, ss)
	ss.pending = &pendingLogin{citizenID: res.citizenID, position: res.position, trusted: trusted(res.citizenID)}
	ss.officer, ss.citizenID = 0, 0
	p.sess.save(ss)
	http.Redirect(w, r, "/login/code", http.StatusSeeOther)
}

func (p *Portal) handleCode(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.pending == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	p.render(w, r, ss, http.StatusOK, "code", "code.title", "", codePage{Position: ss.pending.position})
}

// handleCodePost checks the code; success logs the citizen in under a
// new session id.
func (p *Portal) handleCodePost(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.pending == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	page := codePage{Position: ss.pending.position}
	if !p.limit.allow(r) {
		p.event(r, evRateLimited)
		p.render(w, r, ss, http.StatusTooManyRequests, "code", "code.title", "err.rate", page)
		return
	}
	key, locked, err := p.loginCode(r.Context(), *ss.pending, r.PostFormValue("code"))
	if err != nil {
		p.log.Error("login code", "err", err)
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		return
	}
	if key != "" {
		p.event(r, evCodeWrong, "citizen", ss.pending.citizenID, "reason", key)
	}
	if locked {
		p.event(r, evLocked, "citizen", ss.pending.citizenID)
	}
	switch key {
	case "":
	case "err.code":
		page.Serial = p.currentSerial(r, ss.pending.citizenID)
		p.render(w, r, ss, http.StatusUnauthorized, "code", "code.title", key, page)
		return
	default: // locked, token gone, stale attempt: start again
		ss.pending = nil
		p.sess.save(ss)
		p.render(w, r, ss, http.StatusUnauthorized, "login", "login.title", key, nil)
		return
	}
	id := ss.pending.citizenID
	ss.pending, ss.verified, ss.issued = nil, nil, nil
	ss = p.sess.rotate(w, r, ss)
	if ss.connect != nil { // a service's login: the service gets the citizen, the portal does not log in
		p.trustDevice(w, id)
		p.connectDone(w, r, ss, id)
		return
	}
	if ss.epoch, err = sessionEpoch(r.Context(), p.db, id); err != nil {
		p.log.Error("login", "err", err)
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		return
	}
	ss.citizenID = id
	p.sess.save(ss)
	p.trustDevice(w, id)
	p.event(r, evLoginOK, "citizen", id)
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

func (p *Portal) handleLogout(w http.ResponseWriter, r *http.Request, ss *session) {
	p.sess.end(w, ss)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type mePage struct{ Name, Serial, Requested string }

func (p *Portal) handleMe(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.citizenID == 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	c, err := findCitizen(ctx, p.db, "id", ss.citizenID)
	var t *tokenInfo
	if err == nil && c != nil {
		t, err = activeToken(ctx, p.db, c.ID)
	}
	if err != nil || c == nil {
		if err == nil {
			err = sql.ErrNoRows
		}
		p.log.Error("citizen page", "err", err)
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		return
	}
	d := mePage{Name: c.Holder()}
	if t != nil {
		d.Serial, d.Requested = t.Serial, formatDate(t.Requested)
	}
	p.render(w, r, ss, http.StatusOK, "me", "me.title", "", d)
}

// codePage is the code step's data: the position asked and, after a
// wrong code, the serial of the token whose codes count.
type codePage struct {
	Position int
	Serial   string
}

// currentSerial is the serial of the citizen's active token, "" if none:
// a citizen typing a code of an older token learns which one counts.
func (p *Portal) currentSerial(r *http.Request, citizen int64) string {
	t, err := activeToken(r.Context(), p.db, citizen)
	if err != nil || t == nil {
		return ""
	}
	return t.Serial
}
