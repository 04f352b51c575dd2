package portal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
	"github.com/eidbridge/eidbridge/verify"
)

// verifiedEID is a person whose eID token and identity data verified, kept
// in the session until they have chosen their account (verifiedTTL).
type verifiedEID struct {
	person
	at    time.Time
	tries int // account forms posted on this proof
}

const verifiedTTL = 15 * time.Minute

// maxAccountTries bounds the account forms one eID proof may post: "this
// username is taken" tells whether an account exists, so it is not
// answered without end.
const maxAccountTries = 10

// checkEID validates the token for the session's nonce and the identity
// data against it. The error key says what to tell the citizen; the
// verify errors are not shown or logged, as they may quote card data.
func (p *Portal) checkEID(sessionID, nonce string, token []byte, data verify.IdentityData) (*person, string) {
	c, key := p.checkToken(sessionID, nonce, token)
	if key != "" {
		return nil, key
	}
	id, err := verify.VerifyCitizenIdentity(c, data, verify.IdentityOptions{Roots: p.cfg.Roots, Now: p.cfg.Clock,
		Revocation: p.cfg.Revocation})
	if key := revocationKey(err); key != "" {
		return nil, key
	}
	switch {
	case errors.Is(err, verify.ErrCitizenMismatch):
		return nil, "err.eid.mismatch"
	case err != nil:
		return nil, "err.eid.identity"
	case id.Address == nil:
		return nil, "err.eid.noaddress"
	}
	return &person{NationalNumber: id.NationalNumber.Digits, Surname: id.Identity.Surname,
		GivenNames: id.Identity.GivenNames, Street: id.Address.StreetAndNumber,
		Zip: id.Address.ZIP, Municipality: id.Address.Municipality}, ""
}

// checkToken validates the token for the session's nonce; the error key
// says what to tell the person.
func (p *Portal) checkToken(sessionID, nonce string, token []byte) (*verify.Citizen, string) {
	c, err := p.validator.ValidateSession(p.nonces, sessionID, nonce, token)
	if key := revocationKey(err); key != "" {
		return nil, key
	}
	switch {
	case errors.Is(err, verify.ErrNonce):
		return nil, "err.eid.nonce"
	case errors.Is(err, verify.ErrCertificate):
		return nil, "err.eid.cert"
	case err != nil:
		return nil, "err.eid.token"
	}
	return c, ""
}

// revocationKey tells a revoked card ("contact your municipality") from a
// check that could not be made ("try again later"); both refuse.
func revocationKey(err error) string {
	switch {
	case errors.Is(err, verify.ErrRevoked):
		return "err.eid.revoked"
	case errors.Is(err, verify.ErrRevocation):
		return "err.eid.revocation"
	}
	return ""
}

// errNeedAccount: the citizen must first choose a username and password.
var errNeedAccount = errors.New("citizen has no account yet")

// issued says where a new token went.
type issued struct {
	CitizenID     int64
	Serial, Email string
	Replaced      bool // the citizen's previous token was revoked
}

// issueOnline records the verified person, with the account chosen in
// form for a first request (nil otherwise), revokes their token, issues a
// new one and queues the mail that carries it, all or nothing, then
// sends that mail (outbox.go: if it cannot go out now, it is retried,
// and the new token stands). It fails with errNeedAccount or
// errUsernameTaken.
func (p *Portal) issueOnline(ctx context.Context, v person, form *accountForm, lang string) (*issued, error) {
	hash := ""
	if form != nil {
		var err error
		if hash, err = hashPassword(form.Password); err != nil {
			return nil, err
		}
	}
	now := p.cfg.Clock()
	var tok *newToken
	var c *citizen
	var mail int64
	err := p.db.InTx(ctx, func(tx *store.Tx) error {
		id, err := p.recordRequest(ctx, tx, v, form, hash, lang, now)
		if err != nil {
			return err
		}
		if c, err = findCitizen(ctx, tx, "id", id); err != nil {
			return err
		}
		if tok, err = p.issueToken(ctx, tx, id, c.Holder(), "online", now); err != nil {
			return err
		}
		mail, err = p.queueToken(ctx, tx, c, tok, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	p.log.Info("token issued", "citizen", c.ID, "channel", "online")
	p.mailNow(context.WithoutCancel(ctx), mail)
	return &issued{CitizenID: c.ID, Serial: tok.Serial, Email: c.Email, Replaced: tok.Replaced}, nil
}

// recordRequest writes the verified person and, for a first request,
// their account; it unlocks a renewing citizen and ends their pending
// activations. It returns the citizen's id.
func (p *Portal) recordRequest(ctx context.Context, tx *store.Tx, v person, form *accountForm, hash, lang string,
	now time.Time) (int64, error) {
	old, err := findCitizen(ctx, tx, "national_number", v.NationalNumber)
	if err != nil {
		return 0, err
	}
	email := ""
	switch {
	case form != nil:
		email = form.Email
	case old == nil || old.Username == "":
		return 0, errNeedAccount
	default:
		email = old.Email
	}
	id, err := upsertPerson(ctx, tx, v, email, lang, now)
	if err != nil {
		return 0, err
	}
	if form != nil {
		err = setCredentials(ctx, tx, id, form.Username, hash, now)
	} else {
		err = unlock(ctx, tx, id, now)
	}
	if err != nil {
		return 0, err
	}
	if err := cancelActivations(ctx, tx, id, now); err != nil {
		return 0, err
	}
	return id, nil
}

// queueToken queues, in tx, the e-mail with the token card.
func (p *Portal) queueToken(ctx context.Context, tx *store.Tx, c *citizen, tok *newToken, now time.Time) (int64, error) {
	l := p.cat(c.Lang)
	html, err := p.renderMail("token", cardData{L: l, Holder: c.Holder(), Serial: tok.Serial,
		Date: formatDate(tok.Requested), Rows: codeRows(tok.Codes)})
	if err != nil {
		return 0, err
	}
	m := message{Kind: kindMail, To: c.Email, Subject: l.T("mail.token.subject"), HTML: html}
	id, err := p.queueMail(ctx, tx, c.ID, m, now)
	if err != nil {
		return 0, fmt.Errorf("token mail: %w", err)
	}
	return id, nil
}
