package portal

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

// maxActivationFailures wrong activation codes kill the link; the citizen
// goes back to the desk.
const maxActivationFailures = 5

// registration is what the officer hands over and what was e-mailed.
type registration struct {
	Code      string
	Until     time.Time
	CitizenID int64
}

// counterRegister records a person checked at the desk by officer and
// e-mails them an activation link; the returned code is handed over in
// person, so that neither the mailbox nor the desk alone is enough. The
// mail may still be on its way (a relay down): it is queued, and the
// registration stands.
func (p *Portal) counterRegister(ctx context.Context, f counterForm, officer int64) (*registration, error) {
	secret := randomToken()
	link := sha256.Sum256([]byte(secret))
	code, err := randomString(activationAlphabet, activationLength)
	if err != nil {
		return nil, err
	}
	now := p.cfg.Clock()
	until := now.Add(p.cfg.ActivationTTL)
	who := person{NationalNumber: f.NN, Surname: f.Surname, GivenNames: f.Given,
		Street: f.Street, Zip: f.Zip, Municipality: f.Municipality}
	l := p.cat(f.Lang)
	// The link names the citizen's language, so that the activation page
	// speaks it too, whatever the browser asks for.
	html, err := p.renderMail("activation", cardData{L: l, Holder: f.Given + " " + f.Surname,
		Link: p.cfg.Origin + "/activate/" + secret + "?lang=" + l.Lang, Until: formatDate(until)})
	if err != nil {
		return nil, err
	}
	pending, err := json.Marshal(deskPerson{Person: who, Email: f.Email, Lang: f.Lang})
	if err != nil {
		return nil, err
	}
	rec := deskRecord{who: who, pending: string(pending), link: link[:], code: code, officer: officer, now: now, until: until,
		mail: message{Kind: kindMail, To: f.Email, Subject: l.T("mail.activation.subject"), HTML: html}}
	var id, mail int64
	err = p.db.InTx(ctx, func(tx *store.Tx) (err error) {
		id, mail, err = p.recordRegistration(ctx, tx, rec)
		return err
	})
	if err != nil {
		return nil, err
	}
	p.mailNow(context.WithoutCancel(ctx), mail)
	return &registration{Code: code, Until: until, CitizenID: id}, nil
}

// deskRecord is what a desk registration writes.
type deskRecord struct {
	who        person
	pending    string // deskPerson, JSON
	link       []byte // the link secret's hash
	code       string
	officer    int64
	now, until time.Time
	mail       message // with the link
}

// recordRegistration writes the registration in tx: the citizen's row
// when new, the activation replacing any earlier one, and its mail,
// queued (outbox.go), so that the activation and its mail are recorded
// together or not at all.
func (p *Portal) recordRegistration(ctx context.Context, tx *store.Tx, r deskRecord) (citizenID, mailID int64, err error) {
	if citizenID, err = personID(ctx, tx, r.who, r.now); err != nil {
		return 0, 0, err
	}
	if err := cancelActivations(ctx, tx, citizenID, r.now); err != nil {
		return 0, 0, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO activations (citizen_id, link_hash, code_hash, created_at, expires_at,
		person, officer_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		citizenID, r.link, p.keys.activationHash(r.link, r.code), r.now.Unix(), r.until.Unix(), r.pending,
		sql.NullInt64{Int64: r.officer, Valid: r.officer != 0})
	if err != nil {
		return 0, 0, fmt.Errorf("insert activation: %w", err)
	}
	if mailID, err = p.queueMail(ctx, tx, citizenID, r.mail, r.now); err != nil {
		return 0, 0, fmt.Errorf("activation mail: %w", err)
	}
	return citizenID, mailID, nil
}

// deskPerson is what a desk registration says of the citizen; it is
// written to the account only when the activation completes, so that a
// registration never activated (a mistake, or an impostor at the desk)
// changes nothing of an existing account.
type deskPerson struct {
	Person      person
	Email, Lang string
}

// personID is the citizen's id, creating a row for a person seen for the
// first time (there is no account yet to change) and leaving an existing
// one as it is.
func personID(ctx context.Context, tx *store.Tx, who person, now time.Time) (int64, error) {
	c, err := findCitizen(ctx, tx, "national_number", who.NationalNumber)
	if err != nil || c != nil {
		if c == nil {
			return 0, err
		}
		return c.ID, err
	}
	return upsertPerson(ctx, tx, who, "", "nl", now)
}

// cancelActivations ends the citizen's unused activation links: a new
// registration or token replaces them.
func cancelActivations(ctx context.Context, tx *store.Tx, citizenID int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE activations SET used_at = ? WHERE citizen_id = ? AND used_at IS NULL`,
		now.Unix(), citizenID); err != nil {
		return fmt.Errorf("cancel activations: %w", err)
	}
	return nil
}

// activation is one stored activation, looked up by its link secret.
type activation struct {
	ID, CitizenID int64
	CodeHash      []byte
	link          []byte
	usable        bool
	person        string // deskPerson, JSON; empty for links made before it was kept
}

var errActivation = errors.New("activation link unknown, used or expired")

// errUndo rolls a transaction back whose outcome is only an error key.
var errUndo = errors.New("undone: the form must change")

func findActivation(ctx context.Context, q querier, secret string, now time.Time) (*activation, error) {
	link := sha256.Sum256([]byte(secret))
	a := &activation{link: link[:]}
	var expires, failures int64
	var used sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, citizen_id, code_hash, expires_at, used_at, failures, person
		FROM activations WHERE link_hash = ?`, link[:]).Scan(&a.ID, &a.CitizenID, &a.CodeHash, &expires, &used, &failures, &a.person)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errActivation
	}
	if err != nil {
		return nil, fmt.Errorf("find activation: %w", err)
	}
	if used.Valid || now.Unix() >= expires || failures >= maxActivationFailures {
		return nil, errActivation
	}
	return a, nil
}

// apply writes the registration's identity, address, e-mail and
// language to the account, now that the citizen has activated it.
func (a *activation) apply(ctx context.Context, tx *store.Tx, now time.Time) error {
	if a.person == "" {
		return nil
	}
	var d deskPerson
	if err := json.Unmarshal([]byte(a.person), &d); err != nil {
		return fmt.Errorf("activation %d: the registration: %w", a.ID, err)
	}
	_, err := upsertPerson(ctx, tx, d.Person, d.Email, d.Lang, now)
	return err
}

// activate checks the activation code, sets the citizen's credentials,
// issues a token and posts it. The error key says what went wrong for the
// citizen; a wrong code is counted.
// After a wrong code, triesLeft says how many more the link takes.
func (p *Portal) activate(ctx context.Context, secret, code string, f accountForm) (res *issued, errKey string, triesLeft int, err error) {
	hash, err := hashPassword(f.Password)
	if err != nil {
		return nil, "", 0, err
	}
	now := p.cfg.Clock()
	var c *citizen
	var tok *newToken
	var letter int64
	// The letter is queued in the transaction and written after it
	// (letters.go): the activation and its letter are recorded together.
	err = p.db.InTx(ctx, func(tx *store.Tx) error {
		a, err := findActivation(ctx, tx, secret, now)
		if errors.Is(err, errActivation) {
			errKey = "err.activation"
			return nil
		} else if err != nil {
			return err
		}
		if !hmac.Equal(a.CodeHash, p.keys.activationHash(a.link, normCode(code))) {
			errKey = "err.activation.code"
			var failures int
			err := tx.QueryRowContext(ctx, `UPDATE activations SET failures = failures + 1 WHERE id = ? RETURNING failures`,
				a.ID).Scan(&failures)
			triesLeft = max(maxActivationFailures-failures, 0)
			return err
		}
		// Claimed first, in one statement: of two instances taking the
		// same code at once, the second finds it used.
		if res, err := tx.ExecContext(ctx, `UPDATE activations SET used_at = ? WHERE id = ? AND used_at IS NULL`,
			now.Unix(), a.ID); err != nil {
			return fmt.Errorf("use activation: %w", err)
		} else if n, _ := res.RowsAffected(); n != 1 {
			errKey = "err.activation"
			return nil
		}
		if err := a.apply(ctx, tx, now); err != nil {
			return err
		}
		if err := setCredentials(ctx, tx, a.CitizenID, f.Username, hash, now); errors.Is(err, errUsernameTaken) {
			errKey = "err.username.taken"
			return errUndo // the code stays unused for another try
		} else if err != nil {
			return err
		}
		if c, err = findCitizen(ctx, tx, "id", a.CitizenID); err != nil {
			return err
		}
		if tok, err = p.issueToken(ctx, tx, c.ID, c.Holder(), "counter", now); err != nil {
			return err
		}
		letter, err = p.postToken(ctx, tx, c, tok, now)
		return err
	})
	if errors.Is(err, errUndo) {
		err = nil
	}
	if err != nil || errKey != "" {
		return nil, errKey, triesLeft, err
	}
	p.log.Info("token issued", "citizen", c.ID, "channel", "counter")
	p.postNow(context.WithoutCancel(ctx), letter, c.ID)
	return &issued{CitizenID: c.ID, Serial: tok.Serial, Replaced: tok.Replaced}, "", 0, nil
}

// postToken queues, in tx, a printable letter with the token card,
// addressed to the official address, for the outbox (the print room).
func (p *Portal) postToken(ctx context.Context, tx *store.Tx, c *citizen, tok *newToken, now time.Time) (int64, error) {
	l := p.cat(c.Lang)
	html, err := p.renderMail("letter", cardData{L: l, Holder: c.Holder(), Serial: tok.Serial,
		Date: formatDate(tok.Requested), Street: c.Street, Zip: c.Zip, Municipality: c.Municipality,
		Rows: codeRows(tok.Codes)})
	if err != nil {
		return 0, fmt.Errorf("token letter: %w", err)
	}
	m := message{Kind: kindLetter, To: c.Holder(), Subject: l.T("letter.subject"), HTML: html}
	if strings.ContainsAny(m.To+m.Subject, "\r\n") {
		return 0, errors.New("token letter: line break in a header")
	}
	return p.queueLetter(ctx, tx, c.ID, m.encode(p.from(), now), now)
}
