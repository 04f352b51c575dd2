package portal

import (
	"context"
	"errors"
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
// new one and e-mails it, all or nothing. It fails with errNeedAccount,
// errUsernameTaken or, when the mail could not be sent, errDelivery.
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
	// ctx below is the transaction's; the request's is only checked
	// before sending (deliveryTx).
	err := p.deliveryTx(ctx, p.cfg.SMTP != nil, func(ctx context.Context, tx *store.Tx, send sendFunc) error {
		old, err := findCitizen(ctx, tx, "national_number", v.NationalNumber)
		if err != nil {
			return err
		}
		email := ""
		switch {
		case form != nil:
			email = form.Email
		case old == nil || old.Username == "":
			return errNeedAccount
		default:
			email = old.Email
		}
		id, err := upsertPerson(ctx, tx, v, email, lang, now)
		if err != nil {
			return err
		}
		if form != nil {
			err = setCredentials(ctx, tx, id, form.Username, hash, now)
		} else {
			err = unlock(ctx, tx, id, now)
		}
		if err != nil {
			return err
		}
		if err := cancelActivations(ctx, tx, id, now); err != nil {
			return err
		}
		if c, err = findCitizen(ctx, tx, "id", id); err != nil {
			return err
		}
		if tok, err = p.issueToken(ctx, tx, id, c.Holder(), "online", now); err != nil {
			return err
		}
		// Mailed before the commit: if delivery fails, the old token, the
		// activations and the account stay as they were.
		return p.sendToken(c, tok, send)
	})
	if err != nil {
		return nil, err
	}
	p.log.Info("token issued", "citizen", c.ID, "channel", "online")
	return &issued{CitizenID: c.ID, Serial: tok.Serial, Email: c.Email, Replaced: tok.Replaced}, nil
}

// sendToken e-mails the token card to the citizen.
func (p *Portal) sendToken(c *citizen, tok *newToken, send sendFunc) error {
	l := p.cat(c.Lang)
	html, err := p.renderMail("token", cardData{L: l, Holder: c.Holder(), Serial: tok.Serial,
		Date: formatDate(tok.Requested), Rows: codeRows(tok.Codes)})
	if err != nil {
		return err
	}
	if err := send(message{Kind: kindMail, To: c.Email, Subject: l.T("mail.token.subject"), HTML: html}); err != nil {
		p.log.Error("token delivery", "citizen", c.ID, "err", err)
		return err
	}
	return nil
}
