package portal

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Kinds of outgoing message.
const (
	kindMail   = "mail"
	kindLetter = "letter"
)

// message is one e-mail or printed letter.
type message struct {
	Kind    string
	To      string // e-mail address; for a letter the holder's name
	Subject string
	HTML    string
}

// encode renders msg as an RFC 5322 message with a quoted-printable HTML
// body, the same bytes whether sent by SMTP or kept in the outbox.
func (m message) encode(from string, now time.Time) []byte {
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", from)
	if m.Kind == kindMail {
		hdr("To", m.To)
	} else {
		hdr("X-Portal-Recipient", mime.QEncoding.Encode("utf-8", m.To))
	}
	hdr("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	hdr("Date", now.Format(time.RFC1123Z))
	hdr("X-Portal-Kind", m.Kind)
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/html; charset=utf-8")
	hdr("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(m.HTML))
	qp.Close()
	return b.Bytes()
}

// errDelivery marks a message that could not be sent or stored, as
// opposed to a database or template failure; with a *recipientError in
// it, sending to that address again will not help.
var errDelivery = errors.New("message not delivered")

// sendMail sends one encoded e-mail now: by SMTP when configured, through
// the breakers (mailGate), and otherwise to the outbox directory (the
// demo's mailbox). Only the outbox's sender calls it (outbox.go), after
// the transaction that queued the message has committed.
func (p *Portal) sendMail(to string, data []byte) error {
	var err error
	if p.cfg.SMTP != nil {
		// The recipient domain's breaker: its answer is already an
		// errDelivery.
		if err = p.gate.admit(mailDomain(to)); err != nil {
			return err
		}
		err = sendSMTP(p.cfg.SMTP, p.from(), to, data)
		p.noteSMTP(to, err)
	} else {
		err = p.writeOutbox(kindMail, data, p.cfg.Clock())
	}
	if err != nil {
		return fmt.Errorf("%w: %w", errDelivery, err)
	}
	return nil
}

func (p *Portal) from() string {
	if p.cfg.SMTP != nil && p.cfg.SMTP.From != "" {
		return p.cfg.SMTP.From
	}
	return "noreply@portal.invalid"
}

// writeOutbox stores one message atomically (temporary file, rename), named
// so that names sort by time.
func (p *Portal) writeOutbox(kind string, data []byte, now time.Time) error {
	if err := os.MkdirAll(p.cfg.Outbox, 0o700); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	rnd := make([]byte, 4)
	rand.Read(rnd)
	name := fmt.Sprintf("%s-%019d-%s-%s.eml", now.UTC().Format("20060102T150405"), outboxSeq(), kind, hex.EncodeToString(rnd))
	tmp, err := os.CreateTemp(p.cfg.Outbox, ".tmp-*")
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(p.cfg.Outbox, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

var (
	seqMu   sync.Mutex
	lastSeq int64
)

// outboxSeq orders messages written in the same second (or under a
// stopped test clock): the wall clock in nanoseconds, made strictly
// increasing within the process.
func outboxSeq() int64 {
	seqMu.Lock()
	defer seqMu.Unlock()
	lastSeq = max(lastSeq+1, time.Now().UnixNano())
	return lastSeq
}

// renderMail executes a mail template to a string.
func (p *Portal) renderMail(name string, d cardData) (string, error) {
	var b strings.Builder
	if err := p.mails[name].Execute(&b, d); err != nil {
		return "", fmt.Errorf("mail template %s: %w", name, err)
	}
	return b.String(), nil
}
