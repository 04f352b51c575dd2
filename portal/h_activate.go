package portal

import (
	"encoding/json"
	"errors"
	"net/http"
)

type activatePage struct {
	Name, Action, Username string
	TriesLeft              int // after a wrong activation code
	// Password and Password2 are shown again after a wrong activation
	// code, the one mistake that is not in them: the citizen corrects the
	// code without choosing and typing the password twice more.
	Password, Password2 string
	personal            []string // what the password may not be made of, beside the username
}

// activationPage looks the link up; an unknown, used or expired link
// gets an error page and nil.
func (p *Portal) activationPage(w http.ResponseWriter, r *http.Request, ss *session) *activatePage {
	secret := r.PathValue("secret")
	a, err := findActivation(r.Context(), p.db, secret, p.cfg.Clock())
	var c *citizen
	if err == nil {
		c, err = findCitizen(r.Context(), p.db, "id", a.CitizenID)
	}
	switch {
	case errors.Is(err, errActivation):
		p.fail(w, r, ss, http.StatusNotFound, "err.activation")
		return nil
	case err != nil || c == nil:
		p.log.Error("activation", "err", err)
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		return nil
	}
	return &activatePage{Name: c.Holder(), Action: "/activate/" + secret, personal: personalData(c, a)}
}

// personalData is what the desk and the account know of the citizen:
// names and e-mail addresses, on file and in the registration waiting
// for this activation.
func personalData(c *citizen, a *activation) []string {
	known := []string{c.GivenNames, c.Surname, c.Email}
	var d deskPerson
	if a.person != "" && json.Unmarshal([]byte(a.person), &d) == nil {
		known = append(known, d.Person.GivenNames, d.Person.Surname, d.Email)
	}
	return known
}

func (p *Portal) handleActivate(w http.ResponseWriter, r *http.Request, ss *session) {
	if d := p.activationPage(w, r, ss); d != nil {
		p.render(w, r, ss, http.StatusOK, "activate", "activate.title", "", d)
	}
}

func (p *Portal) handleActivatePost(w http.ResponseWriter, r *http.Request, ss *session) {
	d := p.activationPage(w, r, ss)
	if d == nil {
		return
	}
	f := accountForm{Username: r.PostFormValue("username"), Password: r.PostFormValue("password"),
		Password2: r.PostFormValue("password2"), Personal: d.personal}
	key := f.check(false)
	d.Username = f.Username
	if key == "" && !p.limit.allow(r) {
		key = "err.rate"
	}
	if key != "" {
		p.render(w, r, ss, http.StatusUnprocessableEntity, "activate", "activate.title", key, d)
		return
	}
	res, key, left, err := p.activate(r.Context(), r.PathValue("secret"), r.PostFormValue("code"), f)
	d.TriesLeft = left
	if err != nil {
		p.log.Error("activation", "err", err)
	}
	// The letter is queued with the activation (letters.go): writing it
	// fails nothing here.
	switch {
	case err != nil:
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
	case key == "err.activation":
		p.fail(w, r, ss, http.StatusNotFound, key)
	case key != "":
		if key == "err.activation.code" {
			d.Password, d.Password2 = f.Password, f.Password2
		}
		p.render(w, r, ss, http.StatusUnprocessableEntity, "activate", "activate.title", key, d)
	default:
		ss.issued = &issuedMessage{serial: res.Serial, replaced: res.Replaced}
		p.sess.save(ss)
		http.Redirect(w, r, "/request/sent", http.StatusSeeOther)
	}
}
