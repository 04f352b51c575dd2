package portal

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
)

// officerOK compares in constant time; hashing first makes the time
// independent of the lengths too.
func (p *Portal) officerOK(pw string) bool {
	a, b := sha256.Sum256([]byte(pw)), sha256.Sum256([]byte(p.cfg.OfficerPassword))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func (p *Portal) handleOfficer(w http.ResponseWriter, r *http.Request, ss *session) {
	switch {
	case p.cfg.OfficerPassword == "":
		p.fail(w, r, ss, http.StatusNotFound, "err.officer.disabled")
	case !ss.officer:
		p.render(w, r, ss, http.StatusOK, "officer_login", "officer.title", "", nil)
	default:
		p.render(w, r, ss, http.StatusOK, "officer", "officer.title", "", counterForm{Lang: pickLang(w, r)})
	}
}

func (p *Portal) handleOfficerLogin(w http.ResponseWriter, r *http.Request, ss *session) {
	if p.cfg.OfficerPassword == "" {
		p.fail(w, r, ss, http.StatusNotFound, "err.officer.disabled")
		return
	}
	if !p.limit.allow(r) {
		p.render(w, r, ss, http.StatusTooManyRequests, "officer_login", "officer.title", "err.rate", nil)
		return
	}
	if !p.officerOK(r.PostFormValue("password")) {
		p.event(r, evOfficerFailed)
		p.render(w, r, ss, http.StatusUnauthorized, "officer_login", "officer.title", "err.officer", nil)
		return
	}
	ss = p.sess.rotate(w, r, ss)
	ss.officer, ss.citizenID, ss.pending = true, 0, nil // an officer session is nobody's citizen session
	p.sess.save(ss)
	p.event(r, evOfficerLogin)
	http.Redirect(w, r, "/officer", http.StatusSeeOther)
}

func (p *Portal) handleOfficerLogout(w http.ResponseWriter, r *http.Request, ss *session) {
	p.sess.end(w, ss)
	http.Redirect(w, r, "/officer", http.StatusSeeOther)
}

// handleOfficerRegister registers a citizen whose identity the officer
// checked, and shows the activation code to hand over.
func (p *Portal) handleOfficerRegister(w http.ResponseWriter, r *http.Request, ss *session) {
	if p.cfg.OfficerPassword == "" || !ss.officer {
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
	reg, err := p.counterRegister(r.Context(), f)
	if err != nil {
		p.log.Error("counter registration", "err", err)
		// The form again, filled in, so that the officer need not retype it.
		if status, key := deliveryAnswer(w, err, "err.mail.rejected.desk", "err.mail.failed.desk"); key != "" {
			p.render(w, r, ss, status, "officer", "officer.title", key, f)
		} else {
			p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		}
		return
	}
	p.event(r, evOfficerReg, "citizen", reg.CitizenID)
	p.render(w, r, ss, http.StatusOK, "officer_done", "officer.done.title", "",
		struct{ Code, Email, Until string }{reg.Code, f.Email, formatDate(reg.Until)})
}
