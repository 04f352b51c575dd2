package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

// querier is what both *sql.DB and *store.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// citizen is one row of citizens. Username is empty until chosen.
type citizen struct {
	ID                        int64
	NationalNumber            string
	Surname, GivenNames       string
	Street, Zip, Municipality string
	Lang, Username, Email     string
	PasswordHash              string
	FailedLogins, Position    int
	LockedUntil               int64
}

// Holder is the name printed on the token: given names, then surname.
func (c *citizen) Holder() string { return strings.TrimSpace(c.GivenNames + " " + c.Surname) }

func (c *citizen) locked(now time.Time) bool { return c.LockedUntil > now.Unix() }

// person is the identity and address a citizen was identified with.
type person struct {
	NationalNumber, Surname, GivenNames string
	Street, Zip, Municipality           string
}

const citizenCols = `id, national_number, surname, given_names, street, zip, municipality, lang,
	COALESCE(username, ''), COALESCE(password_hash, ''), email, failed_logins, locked_until, login_position`

// findCitizen returns the citizen where column = value, or nil. column is
// always a constant of this package.
func findCitizen(ctx context.Context, q querier, column string, value any) (*citizen, error) {
	c := &citizen{}
	err := q.QueryRowContext(ctx, `SELECT `+citizenCols+` FROM citizens WHERE `+column+` = ?`, value).Scan(
		&c.ID, &c.NationalNumber, &c.Surname, &c.GivenNames, &c.Street, &c.Zip, &c.Municipality, &c.Lang,
		&c.Username, &c.PasswordHash, &c.Email, &c.FailedLogins, &c.LockedUntil, &c.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find citizen: %w", err)
	}
	return c, nil
}

// upsertPerson records who a citizen is (and where they officially live),
// creating the row on first sight, and returns the citizen's id.
func upsertPerson(ctx context.Context, tx *store.Tx, p person, email, lang string, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO citizens
		(national_number, surname, given_names, street, zip, municipality, email, lang, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (national_number) DO UPDATE SET surname = excluded.surname,
			given_names = excluded.given_names, street = excluded.street, zip = excluded.zip,
			municipality = excluded.municipality, email = excluded.email, lang = excluded.lang,
			session_epoch = citizens.session_epoch + 1, updated_at = excluded.updated_at
		RETURNING id`,
		p.NationalNumber, p.Surname, p.GivenNames, p.Street, p.Zip, p.Municipality, email, lang,
		now.Unix(), now.Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record citizen: %w", err)
	}
	return id, nil
}

// errUsernameTaken: another citizen has that username.
var errUsernameTaken = errors.New("username is taken")

// setCredentials gives a citizen a username and password, and clears any
// lock: they have just proved who they are.
func setCredentials(ctx context.Context, tx *store.Tx, id int64, username, hash string, now time.Time) error {
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM citizens WHERE username = ? AND id <> ?`, username, id).Scan(&other)
	if err == nil {
		return errUsernameTaken
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check username: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE citizens SET username = ?, password_hash = ?, failed_logins = 0,
		locked_until = 0, login_position = 0, session_epoch = session_epoch + 1, updated_at = ? WHERE id = ?`,
		username, hash, now.Unix(), id)
	if err != nil {
		return fmt.Errorf("set credentials: %w", err)
	}
	return nil
}

// unlock clears failures and the pending position after an eID proof.
func unlock(ctx context.Context, tx *store.Tx, id int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE citizens SET failed_logins = 0, locked_until = 0,
		login_position = 0, updated_at = ? WHERE id = ?`, now.Unix(), id)
	if err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	return nil
}

// usernameTaken says whether another person than nn holds username.
func usernameTaken(ctx context.Context, q querier, username, nn string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM citizens WHERE username = ? AND national_number <> ?`,
		normUsername(username), nn).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check username: %w", err)
	}
	return n > 0, nil
}
