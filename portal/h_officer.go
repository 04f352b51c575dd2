package portal

import (
	"encoding/json"
	"errors"
	"net/http"
)

func (p *Portal) handleOfficer(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.officer == 0 || !officerActive(r.Context(), p.db, ss.officer) {
		p.render(w, r, ss, http.StatusOK, "officer_login", "officer.title", "",
			eidButton{Agent: p.agentURL(), Flow: "officer", Button: "officer.login.eid"})
		return
	}
	p.render(w, r, ss, http.StatusOK, "officer", "officer.title", "", counterForm{Lang: pickLang(w, r)})
}

// officerProof is what the officer page posts: the nonce and the token.
type officerProof struct {
	Nonce string          `json:"nonce"`
	Token json.RawMessage `json:"token"`
}

// handleOfficerVerify logs a desk officer in with their eID: the token
// names them by the national number in their certificate, which must be
// an officer's.
func (p *Portal) handleOfficerVerify(w http.ResponseWriter, r *http.Request, ss *session) {
	var req officerProof
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		p.jsonError(w, r, http.StatusBadRequest, "err.eid.token")
		return
	}
	c, key := p.checkToken(ss.id, req.Nonce, req.Token)
	if key != "" {
		p.event(r, evOfficerFailed, "reason", key)
		p.jsonError(w, r, http.StatusUnprocessableEntity, key)
		return
	}
	id, err := officerID(r.Context(), p.db, c.NationalNumber.Digits)
	if errors.Is(err, ErrNotOfficer) {
		p.event(r, evOfficerFailed, "reason", "not a desk officer")
		p.jsonError(w, r, http.StatusForbidden, "err.officer.notofficer")
		return
	}
	if err != nil {
		p.log.Error("officer login", "err", err)
		p.jsonError(w, r, http.StatusInternalServerError, "err.generic")
		return
	}
	ss = p.sess.rotate(w, r, ss)
	ss.officer, ss.citizenID, ss.pending = id, 0, nil // an officer session is nobody's citizen session
	p.sess.save(ss)
	p.event(r, evOfficerLogin, "officer", id)
	writeJSON(w, http.StatusOK, map[string]string{"next": "/officer"})
}

func (p *Portal) handleOfficerLogout(w http.ResponseWriter, r *http.Request, ss *session) {
	p.sess.end(w, ss)
	http.Redirect(w, r, "/officer", http.StatusSeeOther)
}

// handleOfficerRegister registers a citizen whose identity the officer
// checked, and shows the activation code to hand over.
func (p *Portal) handleOfficerRegister(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.officer == 0 || !officerActive(r.Context(), p.db, ss.officer) {
		p.event(r, evRefused, "reason", "desk registration without an officer")
		p.fail(w, r, ss, http.StatusForbidden, "err.officer")
		return
	}
	f := counterForm{NN: r.PostFormValue("nn"), Surname: r.PostFormValue("surname"), Given: r.PostFormValue("given"),
		Street: r.PostFormValue("street"), Zip: r.PostFormValue("zip"), Municipality: r.PostFormValue("municipality"),
		Email: r.PostFormValue("email"), Lang: r.PostFormValue("lang")}
	if key := f.check(); key != "" {
		p.render(w, r, ss, http.StatusUnprocessableEntity, "officer", "officer.title", key, f)
		return
	}
	reg, err := p.counterRegister(r.Context(), f, ss.officer)
	if err != nil {
		p.log.Error("counter registration", "err", err)
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		return
	}
	p.event(r, evOfficerReg, "officer", ss.officer, "citizen", reg.CitizenID)
	p.render(w, r, ss, http.StatusOK, "officer_done", "officer.done.title", "",
		struct{ Code, Email, Until string }{reg.Code, f.Email, formatDate(reg.Until)})
}
