package portal

import (
	"net/http"
	"strings"
	"testing"
)

// When the mail cannot go out, the request or registration is recorded
// and answered as usual: its mail was queued with it (outbox.go), the
// failure is logged without the recipient or the credentials, and the
// mail goes out once the fault is mended and its back-off has passed
// (an address the server refuses for good is given up at once).

// TestSMTPFailureFirstRequest: the account is made and the token issued;
// the token mail goes out later, once, and its codes log in.
func TestSMTPFailureFirstRequest(t *testing.T) {
	for i, brk := range smtpBreaks {
		lang := languages[i%len(languages)]
		t.Run(brk.name, func(t *testing.T) {
			srv, e := smtpEnv(t, smtpUser, smtpPass)
			queued := e.clock.now()
			brk.apply(srv)
			b := e.browser()
			b.get("/?lang=" + lang)
			r := b.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
			if r.status != http.StatusOK || r.path != "/request/sent" || !strings.Contains(r.body, mail1) {
				t.Fatalf("request with the mail failing: %d at %s", r.status, r.path)
			}
			e.countRows(map[string]int{"citizens": 1, "tokens": 1, "token_codes": CodeCount})
			m := brk.mend(t, e, srv, 0)
			if m == nil {
				return
			}
			codes := readMailQueuedAt(t, e, *m, mail1, e.p.cats[lang].T("mail.token.subject"), queued).codes(t)
			if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
				t.Errorf("the codes mailed late do not log in: %s", r.path)
			}
		})
	}
}

// TestSMTPFailureRenewal: the renewal stands (the token the citizen held
// is replaced at once) and the new token's mail goes out later, once.
func TestSMTPFailureRenewal(t *testing.T) {
	for i, brk := range smtpBreaks {
		lang := languages[(i+1)%len(languages)]
		t.Run(brk.name, func(t *testing.T) {
			srv, e := smtpEnv(t, smtpUser, smtpPass)
			card := loadCard(t, "citizen-1.8")
			e.browser().requestOnline(card, user1, pass1, mail1)
			first := readMail(t, e, onlyMail(t, srv), mail1, e.p.cats["nl"].T("mail.token.subject"))
			queued := e.clock.now()
			brk.apply(srv)
			b := e.browser()
			b.get("/?lang=" + lang)
			if r, ans := b.sendResp(b.proof(card)); r.status != http.StatusOK || ans["next"] != "/request/sent" {
				t.Fatalf("renewal with the mail failing: %d %v", r.status, ans)
			}
			old := first.codes(t)
			if r, _ := e.browser().login(user1, pass1, func(p int) string { return old[p] }); r.path == "/me" {
				t.Errorf("the replaced token still logs in")
			}
			e.countRows(map[string]int{"tokens": 2, "token_codes": 2 * CodeCount})
			m := brk.mend(t, e, srv, 1)
			if m == nil {
				return
			}
			got := readMailQueuedAt(t, e, *m, mail1, e.p.cats[lang].T("mail.token.subject"), queued)
			codes := got.codes(t)
			if got.serial(t) == first.serial(t) {
				t.Fatal("the mail sent late is the first token's")
			}
			if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
				t.Errorf("the codes mailed late do not log in: %s", r.path)
			}
		})
	}
}

// TestSMTPFailureDesk: the officer gets the activation code as usual
// (the registration replaces the first one, whose link no longer works);
// the activation mail goes out later, once, and its link with that code
// activates.
func TestSMTPFailureDesk(t *testing.T) {
	for i, brk := range smtpBreaks {
		lang := languages[(i+2)%len(languages)]
		t.Run(brk.name, func(t *testing.T) {
			srv, e := smtpEnv(t, smtpUser, smtpPass)
			officer := e.officer()
			officer.get("/officer?lang=" + lang)
			form := desk("85031486536")
			officer.submit("/officer", "/officer/register", form)
			mailed := readMail(t, e, onlyMail(t, srv), janMail, e.p.cats["nl"].T("mail.activation.subject"))
			firstLink := activationLinkRE.FindStringSubmatch(mailed.html)
			queued := e.clock.now()
			brk.apply(srv)
			form.Set("lang", "en")
			r := officer.submit("/officer", "/officer/register", form)
			code := activationCodeRE.FindStringSubmatch(r.body)
			if r.status != http.StatusOK || code == nil || firstLink == nil || !strings.Contains(r.body, janMail) {
				t.Fatalf("registration with the mail failing: %d, code %v, first link %v", r.status, code, firstLink)
			}
			e.countRows(map[string]int{"citizens": 1, "activations": 2})
			if r := e.browser().get(strings.TrimPrefix(firstLink[1], e.srv.URL)); r.status != http.StatusNotFound {
				t.Errorf("the replaced link: %d, want 404", r.status)
			}
			m := brk.mend(t, e, srv, 1)
			if m == nil {
				return
			}
			got := readMailQueuedAt(t, e, *m, janMail, e.p.cats["en"].T("mail.activation.subject"), queued)
			link := activationLinkRE.FindStringSubmatch(got.html)
			if link == nil {
				t.Fatalf("no link in the mail sent late:\n%s", got.html)
			}
			path := strings.TrimPrefix(link[1], e.srv.URL)
			if r := e.browser().submit(path, path, activationForm(code[1], "jan", "a good password")); r.path != "/request/sent" {
				t.Errorf("the link mailed late with the officer's code: %d %s", r.status, r.path)
			}
		})
	}
}

// smtpBreak is a way delivery fails.
type smtpBreak struct {
	name    string
	apply   func(*smtpServer)
	logs    string // what the log must say
	refused bool   // the address itself is refused: the mail is given up
	heals   bool   // the fault can be undone (not a closed listener)
}

func fault(f smtpFault) func(*smtpServer) { return func(s *smtpServer) { s.setFault(f) } }

var smtpBreaks = []smtpBreak{
	{"not listening", func(s *smtpServer) { s.ln.Close() }, "SMTP connect", false, false},
	{"AUTH rejected", fault(faultAuth), "SMTP AUTH: 535", false, true},
	{"no such mailbox", fault(faultRcpt), "SMTP RCPT TO: 550", true, true},
	{"address not allowed", fault(faultRcptSyntax), "SMTP RCPT TO: 553", true, true},
	{"relaying denied", fault(faultRelay), "5.7.1 <<recipient>>: relaying denied", false, true},
	{"RCPT deferred", fault(faultRcptLater), "SMTP RCPT TO: 451", false, true},
	{"DATA rejected", fault(faultData), "SMTP end of DATA: 554", false, true},
	{"dropped in DATA", fault(faultDrop), "DATA", false, true},
}

// mend checks what brk left after one request whose mail failed (sent
// mails were received before it): the failure logged without the
// recipient or the credentials, and the mail queued, or given up when
// the address was refused for good. It then mends the fault and runs
// the worker once the back-off has passed, twice: the mail it returns is
// the one then received, only once; nil when none may be (given up, or
// a fault that stays).
func (brk smtpBreak) mend(t *testing.T, e *env, srv *smtpServer, sent int) *smtpMail {
	t.Helper()
	logHides(t, e, brk.logs)
	pending, failed := e.outboxRows()
	if brk.refused && (pending != 0 || failed != 1) || !brk.refused && (pending != 1 || failed != 0) {
		t.Errorf("outbox: %d queued, %d given up (address refused: %v)", pending, failed, brk.refused)
	}
	if mails, _ := srv.received(); len(mails) != sent {
		t.Fatalf("%d messages received, want %d", len(mails), sent)
	}
	if brk.refused && !strings.Contains(e.logs.String(), "e-mail given up") {
		t.Errorf("the log does not say the mail was given up:\n%s", e.logs.String())
	}
	if !brk.heals {
		return nil
	}
	srv.setFault(faultNone)
	e.clock.add(retryWait(1))
	n := e.drainMail() + e.drainMail()
	mails, _ := srv.received()
	if brk.refused {
		if n != 0 || len(mails) != sent {
			t.Errorf("a mail given up was sent (%d)", n)
		}
		return nil
	}
	if n != 1 || len(mails) != sent+1 {
		t.Fatalf("after mending: %d sent, %d received, want 1 more than %d", n, len(mails), sent)
	}
	e.countRows(map[string]int{"outbox": 0})
	return &mails[sent]
}

// logHides checks that the log says logs, and holds neither a recipient
// nor the credentials.
func logHides(t *testing.T, e *env, logs string) {
	t.Helper()
	log := e.logs.String()
	if !strings.Contains(log, logs) {
		t.Errorf("the log does not say %q:\n%s", logs, log)
	}
	if s := firstIn(log, smtpUser, smtpPass, mail1, janMail); s != "" {
		t.Errorf("the log holds %q:\n%s", s, log)
	}
}

// firstIn is the first of subs that s contains, or "".
func firstIn(s string, subs ...string) string {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return sub
		}
	}
	return ""
}
