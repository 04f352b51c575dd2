package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
)

// A citizen's sessions carry the citizen's session epoch from the moment
// of login; the epoch goes up whenever their token, password or account
// data change, or when they log out everywhere, and a session whose
// epoch is behind ends at its next request. The check is one indexed
// read, so it holds across instances on a shared database.

// endSessions ends every session of the citizen, inside tx.
func endSessions(ctx context.Context, tx querier, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE citizens SET session_epoch = session_epoch + 1 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("end the citizen's sessions: %w", err)
	}
	return nil
}

func sessionEpoch(ctx context.Context, q querier, id int64) (int64, error) {
	var e int64
	if err := q.QueryRowContext(ctx, `SELECT session_epoch FROM citizens WHERE id = ?`, id).Scan(&e); err != nil {
		return 0, fmt.Errorf("session epoch: %w", err)
	}
	return e, nil
}

// current ends a logged-in session whose citizen's epoch moved on (or
// whose citizen is gone); it reports whether ss may go on as it is. An
// error is a database that did not answer: the session is kept.
func (p *Portal) current(w http.ResponseWriter, r *http.Request, ss *session) (bool, error) {
	if ss.citizenID == 0 {
		return true, nil
	}
	e, err := sessionEpoch(r.Context(), p.db, ss.citizenID)
	switch {
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return false, err
	case err == nil && e == ss.epoch:
		return true, nil
	}
	p.log.Info("ended a session after the citizen's credentials changed", "citizen", ss.citizenID)
	p.sess.end(w, ss)
	*ss = *p.sess.start(w, r)
	return false, nil
}

// handleLogoutAll ends every session of the logged-in citizen, on every
// device.
func (p *Portal) handleLogoutAll(w http.ResponseWriter, r *http.Request, ss *session) {
	if ss.citizenID != 0 {
		if err := endSessions(r.Context(), p.db, ss.citizenID); err != nil {
			p.log.Error("log out everywhere", "err", err)
			p.fail(w, r, ss, http.StatusInternalServerError, "err.generic")
			return
		}
		p.log.Info("logged out everywhere", "citizen", ss.citizenID)
	}
	p.sess.end(w, ss)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
