package portal

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/portal/idp"
	"github.com/eidbridge/eidbridge/verify"
)

// A service's login, as the citizen goes through it: the provider sends
// the browser to /connect?id=…; the citizen picks the token or the eID;
// when the service asked for the national register number (and may), a
// consent page; then /authorize/callback gives the service its code. The
// request is bound to the browser session that went through it: only
// that session reaches the callback.

// connectState is the session's part in a service login.
type connectState struct {
	ID      string      `json:"id"`
	Service string      `json:"service"`          // its name, as the pages say it
	Done    bool        `json:"done,omitempty"`   // completed: the callback may run
	Person  *idp.Person `json:"person,omitempty"` // logged in, consent still to ask
	Method  string      `json:"method,omitempty"`
	At      time.Time   `json:"at"`
}

// connectPage is the data of the connect pages.
type connectPage struct {
	Service    string
	Token, EID bool
	eidButton
}

func (p *Portal) handleConnect(w http.ResponseWriter, r *http.Request, ss *session) {
	id := r.URL.Query().Get("id")
	pend, ok := p.pending(w, r, ss, id)
	if !ok {
		return
	}
	if pend.Silent { // prompt=none: the provider keeps no login to reuse
		if back, ok := p.refuseConnect(w, r, ss, id, true); ok {
			http.Redirect(w, r, back, http.StatusFound)
		}
		return
	}
	ss.connect, ss.pending = &connectState{ID: id, Service: pend.Service}, nil
	p.sess.save(ss)
	useServiceLocale(r, pend.UILocales)
	p.render(w, r, ss, http.StatusOK, "connect", "connect.title", "", connectPage{Service: pend.Service,
		Token: slices.Contains(pend.Methods, idp.MethodToken), EID: slices.Contains(pend.Methods, idp.MethodEID)})
}

// pending reads the request, answering the citizen when it is gone.
func (p *Portal) pending(w http.ResponseWriter, r *http.Request, ss *session, id string) (*idp.Pending, bool) {
	pend, err := p.idp.Pending(r.Context(), id)
	if errors.Is(err, idp.ErrRequestGone) {
		p.message(w, r, ss, http.StatusGone, "connect.title", "err.connect.gone")
		return nil, false
	}
	if err != nil {
		p.log.Error("service login", "err", err)
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		return nil, false
	}
	return pend, true
}

// connecting is the session's live service login, or it sends the
// citizen to the portal's own login page.
func (p *Portal) connecting(w http.ResponseWriter, r *http.Request, ss *session, method string) (*idp.Pending, bool) {
	if ss.connect == nil || ss.connect.Done {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil, false
	}
	pend, ok := p.pending(w, r, ss, ss.connect.ID)
	if ok && method != "" && !slices.Contains(pend.Methods, method) {
		p.fail(w, r, ss, http.StatusForbidden, "err.connect.method")
		return nil, false
	}
	return pend, ok
}

func (p *Portal) handleConnectToken(w http.ResponseWriter, r *http.Request, ss *session) {
	if pend, ok := p.connecting(w, r, ss, idp.MethodToken); ok {
		p.render(w, r, ss, http.StatusOK, "login", "login.title", "", connectPage{Service: pend.Service})
	}
}

func (p *Portal) handleConnectEID(w http.ResponseWriter, r *http.Request, ss *session) {
	if pend, ok := p.connecting(w, r, ss, idp.MethodEID); ok {
		p.render(w, r, ss, http.StatusOK, "connect_eid", "connect.eid.title", "", connectPage{Service: pend.Service,
			eidButton: eidButton{Agent: p.agentURL(), Flow: "connect", Button: "connect.eid.start"}})
	}
}

// handleConnectVerify checks the eID proof of a service login: the
// authentication certificate names the person.
func (p *Portal) handleConnectVerify(w http.ResponseWriter, r *http.Request, ss *session) {
	var req officerProof
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		p.jsonError(w, r, http.StatusBadRequest, "err.eid.token")
		return
	}
	if ss.connect == nil || ss.connect.Done {
		p.jsonError(w, r, http.StatusConflict, "err.connect.gone")
		return
	}
	c, key := p.checkToken(ss.id, req.Nonce, req.Token)
	if p.refusedEID(w, r, req.Token, key) {
		return
	}
	ss = p.sess.rotate(w, r, ss) // the session now vouches for a person
	who, err := p.eidPerson(r.Context(), c)
	if err != nil {
		p.log.Error("service login", "err", err)
		p.jsonError(w, r, http.StatusInternalServerError, "err.generic")
		return
	}
	next, key := p.connectNext(r, ss, who, idp.MethodEID)
	if key != "" {
		p.jsonError(w, r, http.StatusConflict, key)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"next": next})
}

// connectDone ends a token login made for a service.
func (p *Portal) connectDone(w http.ResponseWriter, r *http.Request, ss *session, citizenID int64) {
	c, err := findCitizen(r.Context(), p.db, "id", citizenID)
	if err != nil || c == nil {
		p.log.Error("service login", "err", err)
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		return
	}
	who := idp.Person{NationalNumber: c.NationalNumber, GivenNames: c.GivenNames, Surname: c.Surname}
	next, key := p.connectNext(r, ss, who, idp.MethodToken)
	if key != "" {
		p.fail(w, r, ss, http.StatusConflict, key)
		return
	}
	if next == consentPath {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p.leave(w, r, ss, ss.connect.Service, next)
}

const consentPath = "/connect/consent"

// connectNext: the consent page when the service asks for the national
// register number, else the login is complete and the callback is next.
func (p *Portal) connectNext(r *http.Request, ss *session, who idp.Person, method string) (string, string) {
	pend, err := p.idp.Pending(r.Context(), ss.connect.ID)
	if err != nil {
		return "", p.connectErr(err)
	}
	if pend.WantsNN {
		ss.connect.Person, ss.connect.Method, ss.connect.At = &who, method, p.cfg.Clock()
		p.sess.save(ss)
		return consentPath, ""
	}
	return p.complete(r, ss, idp.Login{Person: who, Method: method, At: p.cfg.Clock()})
}

func (p *Portal) complete(r *http.Request, ss *session, l idp.Login) (string, string) {
	if err := p.idp.Complete(r.Context(), ss.connect.ID, l); err != nil {
		return "", p.connectErr(err)
	}
	ss.connect.Done, ss.connect.Person = true, nil
	p.sess.save(ss)
	p.event(r, evServiceLogin, "method", l.Method)
	return p.idp.CallbackURL(ss.connect.ID), ""
}

func (p *Portal) connectErr(err error) string {
	if errors.Is(err, idp.ErrRequestGone) {
		return "err.connect.gone"
	}
	p.log.Error("service login", "err", err)
	return "err.generic"
}

// eidPerson names the card's holder as the portal knows them when it
// does (the identity file's full given names, as with the token), else
// as the certificate does.
func (p *Portal) eidPerson(ctx context.Context, c *verify.Citizen) (idp.Person, error) {
	who := idp.Person{NationalNumber: c.NationalNumber.Digits, GivenNames: c.GivenNames, Surname: c.Surname}
	known, err := findCitizen(ctx, p.db, "national_number", who.NationalNumber)
	if err != nil {
		return who, err
	}
	if known != nil {
		who.GivenNames, who.Surname = known.GivenNames, known.Surname
	}
	return who, nil
}

// useServiceLocale: the service's ui_locales choose the page's language
// when the citizen has not chosen one on the portal.
func useServiceLocale(r *http.Request, locales []string) {
	q := r.URL.Query()
	if _, err := r.Cookie("lang"); err == nil || knownLang(q.Get("lang")) {
		return
	}
	for _, l := range locales {
		if base, _, _ := strings.Cut(strings.ToLower(l), "-"); knownLang(base) {
			q.Set("lang", base)
			r.URL.RawQuery = q.Encode()
			return
		}
	}
}
