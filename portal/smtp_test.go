package portal

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSMTPOnlineRequest(t *testing.T) {
	card := loadCard(t, "citizen-1.8")
	ref := newEnv(t, "citizen-1.8") // the same request through the outbox
	rb := ref.browser()
	rb.get("/?lang=fr")
	rb.requestOnline(card, user1, pass1, mail1)
	want := ref.last()
	for _, c := range []struct {
		name, user, pass, auth string
		auths                  int
	}{
		{"without AUTH", "", "", "", 0},
		{"with AUTH PLAIN", smtpUser, smtpPass, smtpUser + ":" + smtpPass, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, e := smtpEnv(t, c.user, c.pass)
			b := e.browser()
			b.get("/?lang=fr")
			r := b.requestOnline(card, user1, pass1, mail1)
			if r.path != "/request/sent" || !strings.Contains(r.body, mail1) {
				t.Fatalf("request: %d %s", r.status, r.path)
			}
			m := onlyMail(t, srv)
			if _, auths := srv.received(); m.auth != c.auth || len(auths) != c.auths {
				t.Errorf("AUTH received %q (all: %q), want %q", m.auth, auths, c.auth)
			}
			got := readMail(t, e, m, mail1, e.p.cats["fr"].T("mail.token.subject"))
			if masked(got.html) != masked(want.html) {
				t.Errorf("SMTP and outbox token mails differ beyond codes and serial:\n%s\n---\n%s", got.html, want.html)
			}
			codes := got.codes(t)
			if len(codes) != CodeCount || !strings.Contains(r.body, got.serial(t)) {
				t.Fatalf("%d codes; page lacks serial %s", len(codes), got.serial(t))
			}
			if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
				t.Errorf("the mailed codes do not log in: %s", r.path)
			}
			if out := e.outbox(); len(out) != 0 {
				t.Errorf("%d messages in the outbox with SMTP configured", len(out))
			}
			e.countRows(map[string]int{"outbox": 0}) // sent before the page: nothing left queued
		})
	}
}

func TestSMTPCounterActivationMail(t *testing.T) {
	form := desk("85031486536")
	form.Set("lang", "fr")
	ref := newEnv(t, "citizen-1.8")
	ref.register(form)
	want := ref.last()

	srv, e := smtpEnv(t, smtpUser, smtpPass)
	r := e.officer().submit("/officer", "/officer/register", form)
	code := activationCodeRE.FindStringSubmatch(r.body)
	if code == nil {
		t.Fatalf("registration: %d\n%s", r.status, r.body)
	}
	m := onlyMail(t, srv)
	if m.auth != smtpUser+":"+smtpPass {
		t.Errorf("AUTH %q", m.auth)
	}
	got := readMail(t, e, m, janMail, e.p.cats["fr"].T("mail.activation.subject"))
	if masked(got.html) != masked(want.html) {
		t.Errorf("SMTP and outbox activation mails differ beyond the link:\n%s\n---\n%s", got.html, want.html)
	}
	link := activationLinkRE.FindStringSubmatch(got.html)
	if link == nil || !strings.HasPrefix(link[1], e.srv.URL+"/activate/") {
		t.Fatalf("activation link %v", link)
	}
	if out := e.outbox(); len(out) != 0 {
		t.Fatalf("%d messages in the outbox after an SMTP registration", len(out))
	}
	// The mailed link with the desk's code activates; the letter goes to
	// the print room (the outbox), never by SMTP.
	path := strings.TrimPrefix(link[1], e.srv.URL)
	if r := e.browser().submit(path, path, activationForm(code[1], "jan", "a good password")); r.path != "/request/sent" {
		t.Fatalf("activation: %d %s", r.status, r.path)
	}
	if out := e.outbox(); len(out) != 1 || out[0].kind != kindLetter {
		t.Errorf("outbox after activation: %+v", out)
	}
	onlyMail(t, srv)
}

// TestSMTPDeliverTransparent: lines starting with a dot survive (the
// client stuffs them, the server unstuffs), byte for byte.
func TestSMTPDeliverTransparent(t *testing.T) {
	srv, e := smtpEnv(t, "", "")
	msg := message{Kind: kindMail, To: mail1, Subject: "Objet élevé", HTML: ".\r\n..two\r\n.one\r\n<p>end</p>"}
	data := msg.encode(smtpFrom, e.clock.now())
	if !strings.Contains(string(data), "\r\n.\r\n") {
		t.Fatalf("the encoded message has no lone dot line to stuff:\n%s", data)
	}
	if err := e.p.sendMail(mail1, data); err != nil {
		t.Fatal(err)
	}
	m := onlyMail(t, srv)
	if m.data != string(data)+"\r\n" { // SMTP data ends with a line break
		t.Fatalf("received\n%q\nwant\n%q", m.data, data)
	}
	if got := readMail(t, e, m, mail1, msg.Subject); got.html != msg.HTML+"\r\n" {
		t.Errorf("body %q, want %q", got.html, msg.HTML)
	}
}

const (
	smtpFrom = "portal@example.be"
	smtpUser = "portal-relay"
	smtpPass = "relay-Secret-77"
	janMail  = "jan@example.be" // desk()'s address
)

// smtpEnv starts a test SMTP server taking user and pass and a portal
// whose mail goes to it with those credentials.
func smtpEnv(t *testing.T, user, pass string) (*smtpServer, *env) {
	srv := newSMTPServer(t, user, pass)
	return srv, newEnv(t, "citizen-1.8", func(c *Config) {
		c.SMTP = &SMTP{Addr: srv.addr(), From: smtpFrom, Username: user, Password: pass}
	})
}

// onlyMail is the one message srv received.
func onlyMail(t *testing.T, srv *smtpServer) smtpMail {
	t.Helper()
	mails, _ := srv.received()
	if len(mails) != 1 {
		t.Fatalf("the SMTP server received %d messages, want 1", len(mails))
	}
	return mails[0]
}

// readMail decodes a received message and checks its envelope and the
// headers every portal mail has; subject is the expected one, and the
// message was queued now.
func readMail(t *testing.T, e *env, m smtpMail, to, subject string) outMsg {
	t.Helper()
	return readMailQueuedAt(t, e, m, to, subject, e.clock.now())
}

// readMailQueuedAt is readMail for a message queued at queued (its Date),
// sent later.
func readMailQueuedAt(t *testing.T, e *env, m smtpMail, to, subject string, queued time.Time) outMsg {
	t.Helper()
	if m.from != smtpFrom || !slices.Equal(m.to, []string{to}) {
		t.Errorf("envelope MAIL FROM %q RCPT TO %q, want %q %q", m.from, m.to, smtpFrom, to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(m.data))
	if err != nil {
		t.Fatalf("received message: %v", err)
	}
	h := msg.Header
	subj, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subj != subject || h.Get("Subject") != mime.QEncoding.Encode("utf-8", subject) {
		t.Errorf("Subject %q decodes to %q (%v), want %q Q-encoded", h.Get("Subject"), subj, err, subject)
	}
	if date, err := h.Date(); err != nil || !date.Equal(queued.Truncate(time.Second)) {
		t.Errorf("Date %q (%v), want %v", h.Get("Date"), err, queued)
	}
	for k, want := range map[string]string{"From": smtpFrom, "To": to, "MIME-Version": "1.0", "X-Portal-Kind": kindMail,
		"Content-Type": "text/html; charset=utf-8", "Content-Transfer-Encoding": "quoted-printable"} {
		if h.Get(k) != want {
			t.Errorf("%s: %q, want %q", k, h.Get(k), want)
		}
	}
	html, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("quoted-printable body: %v", err)
	}
	return outMsg{kind: h.Get("X-Portal-Kind"), to: h.Get("To"), subject: subj, html: string(html)}
}

// masked blanks what differs between two requests: codes, serial, link.
func masked(html string) string {
	html = codeRE.ReplaceAllString(html, `<td class="code" data-position="$1">?</td>`)
	html = serialRE.ReplaceAllString(html, `<span class="serial">?</span>`)
	if l := activationLinkRE.FindStringSubmatch(html); l != nil {
		html = strings.ReplaceAll(html, l[1], "LINK")
	}
	return html
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
