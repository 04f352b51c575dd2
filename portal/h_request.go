package portal

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/eidbridge/eidbridge/verify"
)

func (p *Portal) handleHome(w http.ResponseWriter, r *http.Request, ss *session) {
	p.render(w, r, ss, http.StatusOK, "home", "home.title", "", nil)
}

// handleInstallHelp is where the request page sends a citizen whose
// browser cannot reach the agent: how to install it, per system.
func (p *Portal) handleInstallHelp(w http.ResponseWriter, r *http.Request, ss *session) {
	dl := p.cfg.Downloads
	if dl == "" {
		dl = DefaultDownloads
	}
	p.render(w, r, ss, http.StatusOK, "install", "install.title", "", struct{ Downloads string }{dl})
}

// eidButton is the data of the button that asks the agent (layout.html):
// the citizen's request, or the officer's login.
type eidButton struct{ Agent, Flow, Button string }

func (p *Portal) agentURL() string { return fmt.Sprintf("ws://127.0.0.1:%d/v1", p.cfg.AgentPort) }

func (p *Portal) handleRequest(w http.ResponseWriter, r *http.Request, ss *session) {
	agent := p.agentURL()
	p.render(w, r, ss, http.StatusOK, "request", "request.title", "", eidButton{Agent: agent, Flow: "request", Button: "request.start"})
}

// handleChallenge issues a nonce bound to the session. A session holds
// a few at most and a client gets them at a bounded rate, so that no
// visitor can fill the store for everyone (which forgets its oldest
// rather than refusing when full).
func (p *Portal) handleChallenge(w http.ResponseWriter, r *http.Request, ss *session) {
	if !p.challenges.allow(r) {
		p.event(r, evRateLimited)
		p.jsonError(w, r, http.StatusTooManyRequests, "err.rate")
		return
	}
	nonce, err := p.nonces.Issue(ss.id)
	if err != nil {
		p.jsonError(w, r, http.StatusServiceUnavailable, "err.busy")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"nonce": nonce})
}

// verifyRequest is what the page posts: the nonce it was given, the
// agent's token and the identity files as the agent returned them.
type verifyRequest struct {
	Nonce    string              `json:"nonce"`
	Token    json.RawMessage     `json:"token"`
	Identity verify.IdentityData `json:"identity"`
}

// handleVerify checks the eID proof. A known citizen gets a new token at
// once; a new one goes on to choose an account.
func (p *Portal) handleVerify(w http.ResponseWriter, r *http.Request, ss *session) {
	var req verifyRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		p.jsonError(w, r, http.StatusBadRequest, "err.eid.request")
		return
	}
	who, key := p.checkEID(ss.id, req.Nonce, req.Token, req.Identity)
	if p.refusedEID(w, r, req.Token, key) {
		return
	}
	// The session now vouches for a person: give it a new id.
	ss = p.sess.rotate(w, r, ss)
	ss.citizenID = 0 // a new token ends the citizen's sessions, this one too: log in with it
	res, err := p.issueOnline(r.Context(), *who, nil, pickLang(w, r))
	if errors.Is(err, errNeedAccount) {
		ss.verified = &verifiedEID{person: *who, at: p.cfg.Clock()}
		p.sess.save(ss)
		writeJSON(w, http.StatusOK, map[string]string{"next": "/request/account"})
		return
	}
	if err != nil {
		// Not the mail: it is queued with the token, and sent, or retried,
		// after the commit (outbox.go).
		p.log.Error("online request", "err", err)
		p.jsonError(w, r, http.StatusInternalServerError, "err.generic")
		return
	}
	ss.issued = &issuedMessage{serial: res.Serial, email: res.Email, replaced: res.Replaced}
	p.sess.save(ss)
	p.trustDevice(w, res.CitizenID) // the eID proved who uses this browser
	writeJSON(w, http.StatusOK, map[string]string{"next": "/request/sent"})
}

// accountTry counts one account form against the client's rate and the
// eID proof's allowance; a key says why it may not go on.
func (p *Portal) accountTry(r *http.Request, ss *session, v *verifiedEID, username string) string {
	if !p.limit.allow(r) {
		p.event(r, evRateLimited)
		return "err.rate"
	}
	v.tries++
	p.sess.save(ss)
	if v.tries > maxAccountTries {
		p.event(r, evRefused, "reason", "too many account forms on one eID proof")
		return "err.rate"
	}
	return ""
}

// verifiedPerson is the session's eID-verified person, if still fresh.
func (p *Portal) verifiedPerson(ss *session) *verifiedEID {
	if ss.verified == nil || p.cfg.Clock().Sub(ss.verified.at) > verifiedTTL {
		return nil
	}
	return ss.verified
}

type accountPage struct{ Name, Username, Email string }

func (p *Portal) handleAccount(w http.ResponseWriter, r *http.Request, ss *session) {
	v := p.verifiedPerson(ss)
	if v == nil {
		p.fail(w, r, ss, http.StatusForbidden, "err.verified.expired")
		return
	}
	p.render(w, r, ss, http.StatusOK, "account", "account.title", "", accountPage{Name: v.GivenNames + " " + v.Surname})
}

func (p *Portal) handleAccountPost(w http.ResponseWriter, r *http.Request, ss *session) {
	v := p.verifiedPerson(ss)
	if v == nil {
		p.fail(w, r, ss, http.StatusForbidden, "err.verified.expired")
		return
	}
	f := accountForm{Username: r.PostFormValue("username"), Password: r.PostFormValue("password"),
		Password2: r.PostFormValue("password2"), Email: r.PostFormValue("email"),
		Personal: []string{v.GivenNames, v.Surname}}
	again := func(status int, key string) {
		p.render(w, r, ss, status, "account", "account.title", key,
			accountPage{Name: v.GivenNames + " " + v.Surname, Username: f.Username, Email: f.Email})
	}
	if key := f.check(true); key != "" {
		again(http.StatusUnprocessableEntity, key)
		return
	}
	if key := p.accountTry(r, ss, v, f.Username); key != "" {
		again(http.StatusTooManyRequests, key)
		return
	}
	if taken, err := usernameTaken(r.Context(), p.db, f.Username, v.NationalNumber); err != nil || taken {
		again(http.StatusUnprocessableEntity, "err.username.taken") // before any hashing: cheap things first
		return
	}
	res, err := p.issueOnline(r.Context(), v.person, &f, pickLang(w, r))
	if errors.Is(err, errUsernameTaken) {
		again(http.StatusUnprocessableEntity, "err.username.taken")
		return
	}
	if err != nil {
		// Not the mail, which is queued with the token (outbox.go).
		p.log.Error("online request", "err", err)
		p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
		return
	}
	ss.verified = nil
	ss.issued = &issuedMessage{serial: res.Serial, email: res.Email, replaced: res.Replaced}
	p.sess.save(ss)
	p.trustDevice(w, res.CitizenID)
	http.Redirect(w, r, "/request/sent", http.StatusSeeOther)
}

func (p *Portal) handleSent(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.issued == nil {
		http.Redirect(w, r, "/request", http.StatusSeeOther)
		return
	}
	p.render(w, r, ss, http.StatusOK, "sent", "sent.title", "", struct {
		Serial, Email string
		Replaced      bool
	}{ss.issued.serial, ss.issued.email, ss.issued.replaced})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// jsonError answers the page's script with the message in its language.
func (p *Portal) jsonError(w http.ResponseWriter, r *http.Request, status int, key string) {
	status, key = p.downgrade(w, r, status, key)
	writeJSON(w, status, map[string]string{"error": key, "message": p.cat(pickLang(w, r)).T(key)})
}

// refusedEID answers a refused eID proof (key names why; "" when it
// passed): the event, the revoked card in the log, the page's message.
func (p *Portal) refusedEID(w http.ResponseWriter, r *http.Request, token []byte, key string) bool {
	if key == "" {
		return false
	}
	if key == "err.eid.revoked" {
		p.logRevoked(r, token)
	}
	p.event(r, evEIDRefused, "reason", key)
	p.jsonError(w, r, http.StatusUnprocessableEntity, key)
	return true
}
