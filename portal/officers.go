package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/portal/idp"
	"github.com/eidbridge/eidbridge/portal/store"
)

// Officers are the desk's staff, each with an account of their own: they
// log in with their own eID through eidbridge (the portal's strongest
// method, with the PIN the card guards), and every desk action is
// recorded under the officer who did it. There is no shared password.

// Officer is one desk officer.
type Officer struct {
	ID             int64
	NationalNumber string
	Name           string
	Added          time.Time
}

// ErrNotOfficer: the national number is not a desk officer's.
var ErrNotOfficer = errors.New("not a desk officer")

// Admin manages a portal's officers from its data directory, without
// serving (eidbridge portal officer …).
type Admin struct{ db *store.DB }

// OpenAdmin opens the portal's database: dsn (a postgres:// URL), or
// when empty the SQLite database in dataDir, creating it if new.
func OpenAdmin(ctx context.Context, dsn, dataDir string) (*Admin, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("portal: data directory: %w", err)
	}
	db, err := openDB(ctx, dsn, dataDir)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	return &Admin{db: db}, nil
}

// Close closes the database.
func (a *Admin) Close() error { return a.db.Close() }

// AddOfficer makes the holder of national number nn a desk officer.
func (a *Admin) AddOfficer(ctx context.Context, nn, name string) error {
	return addOfficer(ctx, a.db, nn, name)
}

// RemoveOfficer ends nn's officer rights, at once on every instance.
func (a *Admin) RemoveOfficer(ctx context.Context, nn string) error {
	return removeOfficer(ctx, a.db, nn)
}

// Officers lists the current desk officers.
func (a *Admin) Officers(ctx context.Context) ([]Officer, error) { return listOfficers(ctx, a.db) }

// AddOfficer, RemoveOfficer and Officers do the same on a running portal.
func (p *Portal) AddOfficer(ctx context.Context, nn, name string) error {
	return addOfficer(ctx, p.db, nn, name)
}
func (p *Portal) RemoveOfficer(ctx context.Context, nn string) error {
	return removeOfficer(ctx, p.db, nn)
}
func (p *Portal) Officers(ctx context.Context) ([]Officer, error) { return listOfficers(ctx, p.db) }

// ParseOfficerNumber reads a national number as printed on the card
// ("85.03.14-865.36") or as digits.
func ParseOfficerNumber(nn string) (string, error) {
	n, err := eid.ParseNationalNumber(strings.NewReplacer(".", "", "-", "", " ", "").Replace(nn))
	if err != nil {
		return "", fmt.Errorf("officer: %w", err)
	}
	return n.Digits, nil
}

func addOfficer(ctx context.Context, db *store.DB, nn, name string) error {
	n, err := ParseOfficerNumber(nn)
	if err != nil {
		return fmt.Errorf("officer: %w", err)
	}
	if name == "" {
		return errors.New("officer: a name is needed, as the desk's records show it")
	}
	_, err = db.ExecContext(ctx, `INSERT INTO officers (national_number, name, added_at) VALUES (?, ?, ?)
		ON CONFLICT (national_number) DO UPDATE SET name = excluded.name, removed_at = NULL`,
		n, name, time.Now().Unix())
	if err != nil {
		return fmt.Errorf("add officer: %w", err)
	}
	return nil
}

func removeOfficer(ctx context.Context, db *store.DB, nn string) error {
	n, err := ParseOfficerNumber(nn)
	if err != nil {
		return err
	}
	res, err := db.ExecContext(ctx, `UPDATE officers SET removed_at = ? WHERE national_number = ? AND removed_at IS NULL`,
		time.Now().Unix(), n)
	if err != nil {
		return fmt.Errorf("remove officer: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return ErrNotOfficer
	}
	return nil
}

func listOfficers(ctx context.Context, db *store.DB) ([]Officer, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, national_number, name, added_at FROM officers
		WHERE removed_at IS NULL ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list officers: %w", err)
	}
	defer rows.Close()
	var out []Officer
	for rows.Next() {
		var o Officer
		var added int64
		if err := rows.Scan(&o.ID, &o.NationalNumber, &o.Name, &added); err != nil {
			return nil, fmt.Errorf("list officers: %w", err)
		}
		o.Added = time.Unix(added, 0)
		out = append(out, o)
	}
	return out, rows.Err()
}

// officerID is the current officer with national number nn.
func officerID(ctx context.Context, q querier, nn string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM officers WHERE national_number = ? AND removed_at IS NULL`, nn).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotOfficer
	}
	if err != nil {
		return 0, fmt.Errorf("find officer: %w", err)
	}
	return id, nil
}

// officerActive: the officer still has their rights (checked at each
// desk request, so that a removal takes effect at once everywhere).
func officerActive(ctx context.Context, q querier, id int64) bool {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM officers WHERE id = ? AND removed_at IS NULL`, id).Scan(&n)
	return err == nil && n == 1
}

// RegisterService, RemoveService and Services manage the services that
// log citizens in through the portal, on its database (portal/idp).
func (a *Admin) RegisterService(ctx context.Context, c idp.ClientSpec) error {
	return idp.Registry{DB: a.db}.Register(ctx, c)
}

func (a *Admin) RemoveService(ctx context.Context, id string) error {
	return idp.Registry{DB: a.db}.Remove(ctx, id)
}

func (a *Admin) Services(ctx context.Context) ([]idp.ClientSpec, error) {
	return idp.Registry{DB: a.db}.Clients(ctx)
}
