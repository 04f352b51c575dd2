package portal

import (
	"errors"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
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
			srv := newSMTPServer(t, c.user, c.pass)
			e := smtpEnv(t, srv, c.user, c.pass)
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
		})
	}
}

func TestSMTPCounterActivationMail(t *testing.T) {
	form := desk("85031486536")
	form.Set("lang", "fr")
	ref := newEnv(t, "citizen-1.8")
	ref.register(form)
	want := ref.last()

	srv := newSMTPServer(t, smtpUser, smtpPass)
	e := smtpEnv(t, srv, smtpUser, smtpPass)
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
	srv := newSMTPServer(t, "", "")
	e := smtpEnv(t, srv, "", "")
	msg := message{Kind: kindMail, To: mail1, Subject: "Objet élevé", HTML: ".\r\n..two\r\n.one\r\n<p>end</p>"}
	data := msg.encode(smtpFrom, e.clock.now())
	if !strings.Contains(string(data), "\r\n.\r\n") {
		t.Fatalf("the encoded message has no lone dot line to stuff:\n%s", data)
	}
	if err := e.p.deliver(msg); err != nil {
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

// TestSMTPDeliverErrors: each refusal is an errDelivery that keeps the
// server's reply but neither the recipient nor the credentials.
func TestSMTPDeliverErrors(t *testing.T) {
	srv := newSMTPServer(t, smtpUser, smtpPass)
	e := smtpEnv(t, srv, smtpUser, smtpPass)
	for _, c := range []struct {
		fault smtpFault
		code  int
		step  string
	}{{faultAuth, 535, "AUTH"}, {faultRcpt, 550, "RCPT TO"}, {faultData, 554, "end of DATA"}, {faultDrop, 0, "DATA"}} {
		srv.setFault(c.fault)
		err := e.p.deliver(message{Kind: kindMail, To: mail1, Subject: "s", HTML: "h"})
		var reply *textproto.Error
		if !errors.Is(err, errDelivery) || !strings.Contains(fmtErr(err), "SMTP ") || !strings.Contains(fmtErr(err), c.step) ||
			(c.code != 0 && (!errors.As(err, &reply) || reply.Code != c.code)) {
			t.Errorf("fault %d: %v, want errDelivery at %s with reply %d", c.fault, err, c.step, c.code)
		}
		for _, secret := range []string{mail1, smtpUser, smtpPass} {
			if strings.Contains(fmtErr(err), secret) {
				t.Errorf("fault %d: error %q holds %q", c.fault, err, secret)
			}
		}
	}
	if mails, _ := srv.received(); len(mails) != 0 {
		t.Errorf("%d messages accepted", len(mails))
	}
}

// smtpBreaks are the ways delivery fails; logs is what the log must say.
var smtpBreaks = []struct {
	name  string
	apply func(*smtpServer)
	logs  string
	heals bool // the fault can be undone (not a closed listener)
}{
	{"not listening", func(s *smtpServer) { s.ln.Close() }, "SMTP connect", false},
	{"AUTH rejected", func(s *smtpServer) { s.setFault(faultAuth) }, "SMTP AUTH: 535", true},
	{"RCPT rejected", func(s *smtpServer) { s.setFault(faultRcpt) }, "SMTP RCPT TO: 550", true},
	{"DATA rejected", func(s *smtpServer) { s.setFault(faultData) }, "SMTP end of DATA: 554", true},
	{"dropped in DATA", func(s *smtpServer) { s.setFault(faultDrop) }, "DATA", true},
}

// refused checks that the failure is logged without the recipient or the
// credentials, and that the page shows none of it.
func refused(t *testing.T, e *env, logs, page string) {
	t.Helper()
	log := e.logs.String()
	if !strings.Contains(log, logs) {
		t.Errorf("the log does not say %q:\n%s", logs, log)
	}
	for _, s := range []string{smtpUser, smtpPass, mail1, janMail} {
		if strings.Contains(log, s) {
			t.Errorf("the log holds %q:\n%s", s, log)
		}
	}
	for _, s := range []string{"SMTP", "smtp", "EOF", "refused", "535", "550", "554", smtpUser, smtpPass} {
		if strings.Contains(page, s) {
			t.Errorf("the page shows %q:\n%s", s, page)
		}
	}
}

// TestSMTPFailureChangesNothing: whatever the failure, the citizen sees
// the generic error, nothing is recorded, and trying again works.
func TestSMTPFailureChangesNothing(t *testing.T) {
	for _, brk := range smtpBreaks {
		t.Run(brk.name+"/first request", func(t *testing.T) {
			srv := newSMTPServer(t, smtpUser, smtpPass)
			e := smtpEnv(t, srv, smtpUser, smtpPass)
			brk.apply(srv)
			b := e.browser()
			r := b.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
			if r.status != http.StatusInternalServerError || r.path != "/request/account" || !b.shows(r, "err.generic") {
				t.Fatalf("failed mail: %d %s", r.status, r.path)
			}
			refused(t, e, brk.logs, r.body)
			e.countRows(map[string]int{"citizens": 0, "tokens": 0, "token_codes": 0})
			if !brk.heals {
				return
			}
			srv.setFault(faultNone) // the eID proof still holds: send the form again
			r = b.submit("/request/account", "/request/account", url.Values{"username": {user1},
				"password": {pass1}, "password2": {pass1}, "email": {mail1}})
			if r.path != "/request/sent" {
				t.Fatalf("retry: %d %s", r.status, r.path)
			}
			onlyMail(t, srv)
			e.countRows(map[string]int{"citizens": 1, "tokens": 1})
		})
		t.Run(brk.name+"/renewal", func(t *testing.T) {
			srv := newSMTPServer(t, smtpUser, smtpPass)
			e := smtpEnv(t, srv, smtpUser, smtpPass)
			card := loadCard(t, "citizen-1.8")
			e.browser().requestOnline(card, user1, pass1, mail1)
			first := readMail(t, e, onlyMail(t, srv), mail1, e.p.cats["nl"].T("mail.token.subject"))
			brk.apply(srv)
			b := e.browser()
			status, ans := b.send(b.proof(card))
			if status != http.StatusInternalServerError || ans["error"] != "err.generic" || ans["message"] != e.p.cats["nl"].T("err.generic") {
				t.Fatalf("failed renewal: %d %v", status, ans)
			}
			refused(t, e, brk.logs, b.last)
			// The token the citizen holds still works; no other was made.
			codes := first.codes(t)
			if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" || !strings.Contains(r.body, first.serial(t)) {
				t.Errorf("the previous token no longer logs in: %s", r.path)
			}
			e.countRows(map[string]int{"tokens": 1, "token_codes": CodeCount})
		})
		t.Run(brk.name+"/desk", func(t *testing.T) {
			srv := newSMTPServer(t, smtpUser, smtpPass)
			e := smtpEnv(t, srv, smtpUser, smtpPass)
			officer := e.officer()
			r := officer.submit("/officer", "/officer/register", desk("85031486536"))
			code := activationCodeRE.FindStringSubmatch(r.body)
			mailed := readMail(t, e, onlyMail(t, srv), janMail, e.p.cats["nl"].T("mail.activation.subject"))
			link := activationLinkRE.FindStringSubmatch(mailed.html)
			if code == nil || link == nil {
				t.Fatalf("registration: code %v link %v", code, link)
			}
			brk.apply(srv)
			r = officer.submit("/officer", "/officer/register", desk("85031486536"))
			if r.status != http.StatusInternalServerError || !officer.shows(r, "err.generic") || activationCodeRE.MatchString(r.body) {
				t.Fatalf("failed registration: %d", r.status)
			}
			refused(t, e, brk.logs, r.body)
			e.countRows(map[string]int{"citizens": 1, "activations": 1})
			// The first registration's link and code still work.
			path := strings.TrimPrefix(link[1], e.srv.URL)
			if r := e.browser().submit(path, path, activationForm(code[1], "jan", "a good password")); r.path != "/request/sent" {
				t.Errorf("first link after a failed registration: %d %s", r.status, r.path)
			}
		})
	}
}

// TestSMTPStalledServer: a server that accepts and never answers fails
// the request after smtpTimeout instead of holding it (and the database
// write lock) forever.
func TestSMTPStalledServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan net.Conn, 8)
	go func() {
		for c, err := ln.Accept(); err == nil; c, err = ln.Accept() {
			held <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for len(held) > 0 {
			(<-held).Close()
		}
	})
	defer func(d time.Duration) { smtpTimeout = d }(smtpTimeout)
	smtpTimeout = 200 * time.Millisecond
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.SMTP = &SMTP{Addr: ln.Addr().String(), From: smtpFrom} })
	b := e.browser()
	r := b.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
	if r.status != http.StatusInternalServerError || !b.shows(r, "err.generic") {
		t.Fatalf("stalled server: %d %s", r.status, r.path)
	}
	refused(t, e, "SMTP greeting", r.body)
	e.countRows(map[string]int{"citizens": 0, "tokens": 0})
}

// TestLetterFailureKeepsActivation: if the token letter cannot be
// written, the activation link and code stay usable.
func TestLetterFailureKeepsActivation(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	code, link := e.register(desk("85031486536"))
	if err := os.RemoveAll(e.p.cfg.Outbox); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.p.cfg.Outbox, nil, 0o600); err != nil { // a file where the outbox should be
		t.Fatal(err)
	}
	b := e.browser()
	if r := b.submit(link, link, activationForm(code, "jan", "a good password")); r.status != http.StatusInternalServerError || !b.shows(r, "err.generic") {
		t.Fatalf("letter not written: %d %s", r.status, r.path)
	}
	e.countRows(map[string]int{"tokens": 0, "token_codes": 0})
	os.Remove(e.p.cfg.Outbox)
	if r := e.browser().submit(link, link, activationForm(code, "jan", "a good password")); r.path != "/request/sent" {
		t.Fatalf("activation once the outbox works: %d %s", r.status, r.path)
	}
	if m := e.last(); m.kind != kindLetter || len(m.codes(t)) != CodeCount {
		t.Errorf("letter: %s with %d codes", m.kind, len(m.codes(t)))
	}
}
