package agent

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// AuditFile is the audit log's name in the state directory.
const AuditFile = "audit.jsonl"

// AuditRecord is one line of the audit log: who asked for what, on which
// card, and how it ended. By construction it has no field that could hold
// a PIN or identity data: the card serial is the chip number, which names
// the card, not the citizen.
type AuditRecord struct {
	Time       time.Time `json:"time"`
	Origin     string    `json:"origin"`
	Operation  string    `json:"operation"`
	CardSerial string    `json:"cardSerial,omitempty"`
	Outcome    string    `json:"outcome"` // "ok" or the error code
}

// Audit appends records as JSON lines. A nil *Audit records nothing.
type Audit struct {
	mu sync.Mutex
	w  io.Writer
}

// NewAudit writes records to w.
func NewAudit(w io.Writer) *Audit { return &Audit{w: w} }

// OpenAuditLog opens dir/audit.jsonl for appending, private to the user.
// It refuses a directory or a log that another user owns or may write
// to, and a log that is a link: the agent must not append where someone
// else points it.
func OpenAuditLog(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the state directory: %w", err)
	}
	if err := checkPrivateDir(dir); err != nil {
		return nil, fmt.Errorf("the state directory: %w", err)
	}
	f, err := openNoFollow(filepath.Join(dir, AuditFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the audit log (a link there is refused): %w", err)
	}
	if err := checkPrivateFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("the audit log: %w", err)
	}
	return f, nil
}

// Record writes one line; one Write per record keeps lines whole.
func (a *Audit) Record(r AuditRecord) error {
	if a == nil {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("writing the audit log: %w", err)
	}
	return nil
}
