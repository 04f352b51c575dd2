package portal

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// deliverer is a transaction that queues a mail, run with the request
// context.
type deliverer struct {
	name, subject string                                            // subject: its message key
	run           func(e *env, ctx context.Context) (string, error) // and what only the desk shows
	check         func(t *testing.T, e *env, m outMsg, desk string) // the mail sent works
}

var janForm = counterForm{NN: "85031486536", Surname: "Peeters", Given: "Jan", Street: "Kerkstraat 1",
	Zip: "9000", Municipality: "Gent", Email: janMail, Lang: "nl"}

var deliverers = []deliverer{
	{"counter registration", "mail.activation.subject", func(e *env, ctx context.Context) (string, error) {
		reg, err := e.p.counterRegister(ctx, janForm, 0)
		if err != nil {
			return "", err
		}
		return reg.Code, nil
	}, func(t *testing.T, e *env, m outMsg, code string) {
		link := activationLinkRE.FindStringSubmatch(m.html)
		if link == nil {
			t.Fatalf("no activation link in\n%s", m.html)
		}
		path := strings.TrimPrefix(link[1], e.srv.URL)
		if r := e.browser().submit(path, path, activationForm(code, "jan", "a good password")); r.path != "/request/sent" {
			t.Errorf("the mailed link with the desk's code: %d %s", r.status, r.path)
		}
	}},
	{"online request", "mail.token.subject", func(e *env, ctx context.Context) (string, error) {
		who := person{NationalNumber: "85031486536", Surname: "Peeters", GivenNames: "Jan", Street: "Kerkstraat 1",
			Zip: "9000", Municipality: "Gent"}
		_, err := e.p.issueOnline(ctx, who, &accountForm{Username: user1, Password: pass1, Password2: pass1, Email: janMail}, "nl")
		return "", err
	}, func(t *testing.T, e *env, m outMsg, _ string) {
		codes := m.codes(t)
		if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
			t.Errorf("the mailed codes do not log in: %s", r.path)
		}
	}},
}

// TestDeliveryCancelledDuringData: the citizen leaves while the message
// is being sent, after the commit. What was mailed is committed and
// works, and is not sent again.
func TestDeliveryCancelledDuringData(t *testing.T) {
	for _, d := range deliverers {
		t.Run(d.name, func(t *testing.T) {
			srv, e := smtpEnv(t, "", "")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			srv.mu.Lock()
			srv.onData = cancel
			srv.mu.Unlock()
			desk, err := d.run(e, ctx)
			if err != nil {
				t.Fatalf("cancelled during DATA: %v", err)
			}
			if ctx.Err() == nil {
				t.Fatal("the request was not cancelled during DATA")
			}
			e.clock.add(letterLease + letterRetryMax)
			if n := e.drainMail(); n != 0 {
				t.Errorf("%d mails sent again", n)
			}
			d.check(t, e, readMailQueuedAt(t, e, onlyMail(t, srv), janMail, e.p.cats["nl"].T(d.subject),
				e.clock.now().Add(-letterLease-letterRetryMax)), desk)
		})
	}
}

// TestDeliveryCancelledBeforeCommit: the citizen leaves before the
// transaction commits. Nothing is recorded, so nothing is sent, then or
// later.
func TestDeliveryCancelledBeforeCommit(t *testing.T) {
	for _, d := range deliverers {
		t.Run(d.name, func(t *testing.T) {
			srv, e := smtpEnv(t, "", "")
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := d.run(e, ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled before the commit: %v, want context.Canceled", err)
			}
			if n := e.drainMail(); n != 0 || srv.connections() != 0 {
				t.Errorf("%d messages sent, %d connections", n, srv.connections())
			}
			e.countRows(map[string]int{"citizens": 0, "activations": 0, "tokens": 0, "outbox": 0})
		})
	}
}

// TestSMTPRequireTLS: without STARTTLS from the server, mail goes out
// only where the policy allows clear text; when refused, before MAIL FROM
// and before the credentials.
func TestSMTPRequireTLS(t *testing.T) {
	defer func(f func(string) bool) { loopbackHost = f }(loopbackHost)
	for _, c := range []struct {
		policy SMTPTLS
		remote bool // the server stands for one on another machine
		sent   bool
	}{
		{SMTPTLSAuto, false, true}, {SMTPTLSAuto, true, false},
		{SMTPTLSRequire, false, false}, {SMTPTLSRequire, true, false},
		{SMTPTLSOpportunistic, false, true}, {SMTPTLSOpportunistic, true, true},
	} {
		loopbackHost = func(string) bool { return !c.remote }
		srv := newSMTPServer(t, smtpUser, smtpPass)
		e := newEnv(t, "citizen-1.8", func(cfg *Config) {
			cfg.SMTP = &SMTP{Addr: srv.addr(), From: smtpFrom, Username: smtpUser, Password: smtpPass, TLS: c.policy}
		})
		err := e.p.sendMail(mail1, message{Kind: kindMail, To: mail1, Subject: "s", HTML: "h"}.encode(smtpFrom, e.clock.now()))
		mails, auths := srv.received()
		switch {
		case c.sent && (err != nil || len(mails) != 1):
			t.Errorf("%v, remote %v: %v, %d mails; want sent", c.policy, c.remote, err, len(mails))
		case !c.sent && (!errors.Is(err, errDelivery) || !errors.Is(err, errNoStartTLS) || len(mails)+len(auths) != 0):
			t.Errorf("%v, remote %v: %v, %d mails, %d AUTH; want refused before AUTH", c.policy, c.remote, err, len(mails), len(auths))
		}
	}
}

func TestSMTPTLSPolicy(t *testing.T) {
	for _, s := range []string{"auto", "require", "opportunistic"} {
		var p SMTPTLS
		if err := p.Set(s); err != nil || p.String() != s {
			t.Errorf("Set(%q): %v, %v", s, p, err)
		}
	}
	var p SMTPTLS
	for _, bad := range []string{"", "yes", "Require", "true"} {
		if err := p.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
	for host, want := range map[string]bool{"127.0.0.1": true, "127.0.0.2": true, "::1": true, "localhost": true,
		"LocalHost": true, "mail.example.be": false, "10.0.0.25": false, "::ffff:192.0.2.1": false, "localhost.example.be": false} {
		if loopbackHost(host) != want {
			t.Errorf("loopbackHost(%q) = %v", host, !want)
		}
	}
	e := newEnv(t, "citizen-1.8")
	cfg := e.cfg
	cfg.SMTP = &SMTP{Addr: "mail.example.be:587", TLS: SMTPTLS(7)}
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "SMTP.TLS") {
		t.Errorf("New with TLS policy 7: %v", err)
	}
}
