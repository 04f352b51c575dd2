package portal

import (
	"html"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The demo mailbox in each language: the list dates every message; a
// message's page gives its sender, recipient, subject and date under
// the page's labels, its body as mailed and marked in the mail's own
// language, and a way back to the mailbox; no script runs there.
func TestMailboxMessagePage(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	onlineAccount(t, e)
	code, link := e.register(desk("85031486536")) // in Dutch, as the desk chose
	if r := e.browser().submit(link, link, activationForm(code, "jan", "a good password")); r.path != "/request/sent" {
		t.Fatalf("activation: %d %s", r.status, r.path)
	}
	msgs := e.outbox() // the token e-mail, the activation e-mail, the letter
	now := e.clock.now()
	date := `<time datetime="` + now.Format(time.RFC3339) + `">` + now.Format("02/01/2006 15:04") + `</time>`
	for _, l := range languages {
		b := e.browser()
		if list := b.get("/mailbox?lang=" + l); strings.Count(list.body, date) != len(msgs) {
			t.Errorf("%s: the mailbox dates %d of %d messages as %s", l, strings.Count(list.body, date), len(msgs), date)
		}
		for _, m := range msgs {
			mailPage(t, b, l, m, date)
		}
	}
}

// mailPage checks message m's page in language l.
func mailPage(t *testing.T, b *browser, l string, m outMsg, date string) {
	t.Helper()
	c := b.e.p.cats[l]
	r := b.get("/mailbox/" + m.name)
	page := html.UnescapeString(r.body)
	_, body := mailContent(m.html)
	want := []string{`<html lang="` + l + `">`, "<h1>" + m.subject + "</h1>",
		"<dt>" + c.T("mailbox.from") + "</dt><dd>noreply@portal.invalid</dd>",
		"<dt>" + c.T("mailbox.to") + "</dt><dd>" + m.to + "</dd>",
		"<dt>" + c.T("mailbox.subject") + "</dt><dd>" + m.subject + "</dd>",
		"<dt>" + c.T("mailbox.date") + "</dt><dd>" + date + "</dd>",
		`<a class="back" href="/mailbox">` + c.T("mailbox.back") + "</a>",
		`<article class="mail" lang="nl" aria-label="` + m.subject + `">` + "\n" + string(body)}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("%s, %s %q: the page lacks %s", l, m.kind, m.subject, w)
		}
	}
	if strings.Contains(page, "<style>") || strings.Contains(string(body), "<body") {
		t.Errorf("%s: the page holds the message's head or body tags", m.name)
	}
	if csp := r.header.Get("Content-Security-Policy"); r.status != http.StatusOK || !strings.Contains(csp, "script-src 'none'") {
		t.Errorf("%s: %d, CSP %q", m.name, r.status, csp)
	}
}
