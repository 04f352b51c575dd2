package portal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"strings"
	"testing"
	"time"
)

// TestSMTPDeliverErrors: each refusal is an errDelivery that keeps the
// server's reply but neither the recipient nor the credentials; only a
// permanent refusal of the address is a recipientError.
func TestSMTPDeliverErrors(t *testing.T) {
	srv, e := smtpEnv(t, smtpUser, smtpPass)
	for _, c := range []struct {
		fault   smtpFault
		code    int
		step    string
		refused bool
	}{
		{faultAuth, 535, "AUTH", false}, {faultRcpt, 550, "RCPT TO", true}, {faultRcptSyntax, 553, "RCPT TO", true},
		{faultRelay, 550, "RCPT TO", false}, {faultRcptLater, 451, "RCPT TO", false},
		{faultData, 554, "end of DATA", false}, {faultDrop, 0, "DATA", false},
	} {
		srv.setFault(c.fault)
		err := e.p.sendMail(mail1, message{Kind: kindMail, To: mail1, Subject: "s", HTML: "h"}.encode(smtpFrom, e.clock.now()))
		var reply *textproto.Error
		if !errors.Is(err, errDelivery) || !strings.Contains(fmtErr(err), "SMTP ") || !strings.Contains(fmtErr(err), c.step) ||
			(c.code != 0 && (!errors.As(err, &reply) || reply.Code != c.code)) {
			t.Errorf("fault %d: %v, want errDelivery at %s with reply %d", c.fault, err, c.step, c.code)
		}
		if recipientRefused(err) != c.refused {
			t.Errorf("fault %d: recipient refused %v, want %v", c.fault, recipientRefused(err), c.refused)
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

// TestClassifyRcpt: which replies to RCPT TO mean "this address will
// never do" (the mail is given up); the error keeps its text and what it
// wraps either way.
func TestClassifyRcpt(t *testing.T) {
	reply := func(code int, msg string) error { return &textproto.Error{Code: code, Msg: msg} }
	for _, c := range []struct {
		err     error
		refused bool
	}{
		{reply(550, "5.1.1 no such user"), true},
		{reply(550, "mailbox unavailable"), true}, // no enhanced status
		{reply(551, "user not local"), true},
		{reply(553, "5.1.3 bad address syntax"), true},
		{fmt.Errorf("rcpt: %w", reply(550, "5.1.1 no such user")), true},
		{reply(550, "5.7.1 relaying denied"), false}, // the relay refuses the portal
		{reply(553, "5.7.1 sender not authorised"), false},
		{reply(552, "5.2.2 mailbox full"), false},
		{reply(554, "5.1.1 no such user"), false},
		{reply(450, "4.2.1 mailbox busy"), false},
		{io.EOF, false},
	} {
		got := classifyRcpt(c.err)
		if recipientRefused(got) != c.refused || !errors.Is(got, c.err) || got.Error() != c.err.Error() {
			t.Errorf("%v: %T %q, want refused %v", c.err, got, got, c.refused)
		}
	}
}

// TestSMTPStalledServer: a server that accepts and never answers fails
// the exchange after smtpTimeout instead of holding the request forever;
// the request is answered, its token issued, and the mail stays queued.
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
	b.get("/?lang=en")
	start := time.Now()
	r := b.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
	if took := time.Since(start); r.path != "/request/sent" || !strings.Contains(r.body, mail1) || took > 5*time.Second {
		t.Fatalf("request with the mail server stalled: %d at %s after %v", r.status, r.path, took)
	}
	logHides(t, e, "SMTP greeting")
	e.countRows(map[string]int{"citizens": 1, "tokens": 1})
	if pending, failed := e.outboxRows(); pending != 1 || failed != 0 {
		t.Errorf("outbox: %d queued, %d given up; want the token mail queued", pending, failed)
	}
}

// TestLetterRetriedWhenTheOutboxFails: a token letter that cannot be
// written stays queued with the activation done, and is written once the
// outbox works again, after its back-off.
func TestLetterRetriedWhenTheOutboxFails(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	code, link := e.register(desk("85031486536"))
	if err := os.RemoveAll(e.p.cfg.Outbox); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.p.cfg.Outbox, nil, 0o600); err != nil { // a file where the outbox should be
		t.Fatal(err)
	}
	b := e.browser()
	b.get("/?lang=fr")
	if r := b.submit(link, link, activationForm(code, "jan", "a good password")); r.path != "/request/sent" {
		t.Fatalf("activation with the outbox broken: %d %s", r.status, r.path)
	}
	e.countRows(map[string]int{"tokens": 1, "letters": 1})
	os.Remove(e.p.cfg.Outbox)
	if n, err := e.p.drainLetters(context.Background()); n != 0 || err != nil {
		t.Fatalf("drained %d letters before the back-off ended (%v)", n, err)
	}
	e.clock.add(letterRetryFirst)
	if n, err := e.p.drainLetters(context.Background()); n != 1 || err != nil {
		t.Fatalf("drained %d letters after the back-off, want 1 (%v)", n, err)
	}
	e.countRows(map[string]int{"letters": 0})
	codes := e.last().codes(t)
	if r, _ := e.browser().login("jan", "a good password", func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login with the retried letter's codes: %s", r.path)
	}
}
