package portal

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
)

// sessionState is the JSON a stored session keeps: what a handler may
// need at the next request, on any instance.
type sessionState struct {
	CitizenID int64         `json:"citizen,omitempty"`
	Epoch     int64         `json:"epoch,omitempty"`
	Officer   int64         `json:"officer,omitempty"`
	Pending   *pendingState `json:"pending,omitempty"`
	Verified  *eidState     `json:"verified,omitempty"`
	Issued    *issuedState  `json:"issued,omitempty"`
	Connect   *connectState `json:"connect,omitempty"`
}

type pendingState struct {
	CitizenID int64 `json:"citizen"`
	Position  int   `json:"position"`
	Trusted   bool  `json:"trusted,omitempty"`
}

// eidState is the identity an eID proof gave, until the account exists.
type eidState struct {
	Person person    `json:"person"`
	At     time.Time `json:"at"`
	Tries  int       `json:"tries,omitempty"`
}

type issuedState struct {
	Serial   string `json:"serial"`
	Email    string `json:"email,omitempty"`
	Replaced bool   `json:"replaced,omitempty"`
}

func (ss *session) state() sessionState {
	st := sessionState{CitizenID: ss.citizenID, Epoch: ss.epoch, Officer: ss.officer, Connect: ss.connect}
	if p := ss.pending; p != nil {
		st.Pending = &pendingState{p.citizenID, p.position, p.trusted}
	}
	if v := ss.verified; v != nil {
		st.Verified = &eidState{v.person, v.at, v.tries}
	}
	if i := ss.issued; i != nil {
		st.Issued = &issuedState{i.serial, i.email, i.replaced}
	}
	return st
}

func (ss *session) setState(st sessionState) {
	ss.citizenID, ss.epoch, ss.officer, ss.connect = st.CitizenID, st.Epoch, st.Officer, st.Connect
	if p := st.Pending; p != nil {
		ss.pending = &pendingLogin{p.CitizenID, p.Position, p.Trusted}
	}
	if v := st.Verified; v != nil {
		ss.verified = &verifiedEID{v.Person, v.At, v.Tries}
	}
	if i := st.Issued; i != nil {
		ss.issued = &issuedMessage{i.Serial, i.Email, i.Replaced}
	}
}

// loadSession reads the stored session id, or nil when there is none.
func loadSession(ctx context.Context, db *store.DB, id string) (*session, error) {
	ss := &session{id: id, stored: true}
	var created, seen int64
	var state string
	err := db.QueryRowContext(ctx, `SELECT client, created_at, seen_at, state FROM sessions WHERE id = ?`,
		sessionKey(id)).Scan(&ss.client, &created, &seen, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	var st sessionState
	if err := json.Unmarshal([]byte(state), &st); err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	ss.created, ss.seen = time.UnixMilli(created), time.UnixMilli(seen)
	ss.setState(st)
	return ss, nil
}

// saveSession writes ss, creating its row or replacing its state.
func saveSession(ctx context.Context, db *store.DB, ss *session) error {
	state, err := json.Marshal(ss.state())
	if err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO sessions (id, client, created_at, seen_at, state) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, state = excluded.state`,
		sessionKey(ss.id), ss.client, ss.created.UnixMilli(), ss.seen.UnixMilli(), string(state))
	if err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

func touchSession(ctx context.Context, db *store.DB, id string, now time.Time) error {
	if _, err := db.ExecContext(ctx, `UPDATE sessions SET seen_at = ? WHERE id = ?`, now.UnixMilli(), sessionKey(id)); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

func deleteSession(ctx context.Context, db *store.DB, id string) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sessionKey(id)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// makeClientRoom evicts the client's session idle longest when it holds
// max; it reports whether it evicted one. Two instances may both let a
// client's last session in: the cap is a bound, not an exact count.
func makeClientRoom(ctx context.Context, db *store.DB, client string, max int) (bool, error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE client = ?`, client).Scan(&n); err != nil {
		return false, fmt.Errorf("count sessions: %w", err)
	}
	if n < max {
		return false, nil
	}
	_, err := db.ExecContext(ctx, `DELETE FROM sessions WHERE id IN
		(SELECT id FROM sessions WHERE client = ? ORDER BY seen_at LIMIT ?)`, client, n-max+1)
	if err != nil {
		return false, fmt.Errorf("evict a session: %w", err)
	}
	return true, nil
}

func sweepSessions(ctx context.Context, db *store.DB, idleBefore, createdBefore time.Time) error {
	_, err := db.ExecContext(ctx, `DELETE FROM sessions WHERE seen_at < ? OR created_at < ?`,
		idleBefore.UnixMilli(), createdBefore.UnixMilli())
	if err != nil {
		return fmt.Errorf("sweep sessions: %w", err)
	}
	return nil
}
