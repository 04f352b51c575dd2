package portal

import (
	"bytes"
	"html/template"
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
	"time"
)

// outboxName is the only shape of file name the mailbox serves (compiled
// on first use, like the patterns of validate.go).
var outboxName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9]{8}T[0-9]{6}-[0-9]{19}-(mail|letter)-[0-9a-f]{8}\.eml$`)
})

// mailboxEntry is one line of the mailbox page; Date is for people,
// ISODate for the <time> element.
type mailboxEntry struct{ Name, Date, ISODate, Kind, From, To, Subject string }

// mailItem is one message on its own page: the headers, then the body
// in its own language.
type mailItem struct {
	mailboxEntry
	Lang string
	Body template.HTML
}

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
		if m, err := p.openMail(e.Name()); err == nil {
			list = append(list, m.mailboxEntry)
		}
	}
	slices.Reverse(list) // newest first
	p.render(w, r, ss, http.StatusOK, "mailbox", "mailbox.title", "", list)
}

// handleMailboxItem shows one message: its headers, a way back to the
// mailbox, and its body inside the portal's page. The body is HTML the
// portal's own templates wrote (and escaped); no script runs on this page.
func (p *Portal) handleMailboxItem(w http.ResponseWriter, r *http.Request, ss *session) {
	name := r.PathValue("name")
	if !p.mailboxAllowed(r) || !outboxName().MatchString(name) {
		p.fail(w, r, ss, http.StatusNotFound, "err.notfound")
		return
	}
	m, err := p.openMail(name)
	if err != nil {
		p.fail(w, r, ss, http.StatusNotFound, "err.notfound")
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", strings.Replace(h.Get("Content-Security-Policy"), "script-src 'self'", "script-src 'none'", 1))
	p.renderPage(w, r, ss, http.StatusOK, "mailitem", page{Title: "mailbox.title", Heading: m.Subject, D: m})
}

// openMail reads one message of the outbox.
func (p *Portal) openMail(name string) (*mailItem, error) {
	b, err := os.ReadFile(filepath.Join(p.cfg.Outbox, name))
	if err != nil {
		return nil, err
	}
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		return nil, err
	}
	dec := new(mime.WordDecoder)
	header := func(k string) string {
		if v, err := dec.DecodeHeader(m.Header.Get(k)); err == nil {
			return v
		}
		return m.Header.Get(k)
	}
	it := &mailItem{mailboxEntry: mailboxEntry{Name: name, Date: m.Header.Get("Date"), Kind: header("X-Portal-Kind"),
		From: header("From"), To: header("To"), Subject: header("Subject")}}
	if it.To == "" {
		it.To = header("X-Portal-Recipient") // a letter: the holder
	}
	if t, err := mail.ParseDate(it.Date); err == nil {
		it.Date, it.ISODate = t.Format("02/01/2006 15:04"), t.Format(time.RFC3339)
	}
	it.Lang, it.Body = mailContent(string(body))
	return it, nil
}

var htmlLangRE = regexp.MustCompile(`<html lang="([a-z]{2})"`)

// mailContent is the language of a message the portal wrote and what its
// template put in <body>, which the item page shows as it is: the portal
// escaped it when it wrote the message into its own outbox.
func mailContent(doc string) (lang string, body template.HTML) {
	if m := htmlLangRE.FindStringSubmatch(doc); m != nil {
		lang = m[1]
	}
	if _, after, ok := strings.Cut(doc, "<body>"); ok {
		doc, _, _ = strings.Cut(after, "</body>")
	}
	return lang, template.HTML(doc)
}
