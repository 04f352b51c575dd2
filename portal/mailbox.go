package portal

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// outboxName is the only shape of file name the mailbox serves (compiled
// on first use, like the patterns of validate.go).
var outboxName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9]{8}T[0-9]{6}-[0-9]{19}-(mail|letter)-[0-9a-f]{8}\.eml$`)
})

// mailboxEntry is one line of the mailbox page.
type mailboxEntry struct{ Name, Date, Kind, To, Subject string }

// mailboxAllowed: the mailbox shows everybody's codes, so it exists only
// in the demo (Config.Mailbox) and only for this machine.
func (p *Portal) mailboxAllowed(r *http.Request) bool {
	return p.cfg.Mailbox && p.isLoopback(r)
}

func (p *Portal) handleMailbox(w http.ResponseWriter, r *http.Request, ss *session) {
	if !p.mailboxAllowed(r) {
		p.fail(w, r, ss, http.StatusNotFound, "err.notfound")
		return
	}
	ents, _ := os.ReadDir(p.cfg.Outbox) // a missing outbox is an empty one
	var list []mailboxEntry
	for _, e := range ents {
		if !outboxName().MatchString(e.Name()) {
			continue
		}
		m, err := readOutbox(filepath.Join(p.cfg.Outbox, e.Name()))
		if err != nil {
			continue
		}
		dec := new(mime.WordDecoder)
		subj, _ := dec.DecodeHeader(m.Header.Get("Subject"))
		to := m.Header.Get("To")
		if to == "" {
			to, _ = dec.DecodeHeader(m.Header.Get("X-Portal-Recipient"))
		}
		list = append(list, mailboxEntry{Name: e.Name(), Date: m.Header.Get("Date"),
			Kind: m.Header.Get("X-Portal-Kind"), To: to, Subject: subj})
	}
	slices.Reverse(list) // newest first
	p.render(w, r, ss, http.StatusOK, "mailbox", "mailbox.title", "", list)
}

// handleMailboxItem shows one message's HTML, sandboxed: its own styles,
// no scripts, no network.
func (p *Portal) handleMailboxItem(w http.ResponseWriter, r *http.Request, ss *session) {
	name := r.PathValue("name")
	if !p.mailboxAllowed(r) || !outboxName().MatchString(name) {
		p.fail(w, r, ss, http.StatusNotFound, "err.notfound")
		return
	}
	m, err := readOutbox(filepath.Join(p.cfg.Outbox, name))
	if err != nil {
		p.fail(w, r, ss, http.StatusNotFound, "err.notfound")
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.Copy(w, quotedprintable.NewReader(m.Body))
}

func readOutbox(path string) (*mail.Message, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return mail.ReadMessage(strings.NewReader(string(b)))
}
