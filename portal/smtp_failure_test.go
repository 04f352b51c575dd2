package portal

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSMTPFailureFirstRequest: the account form comes back filled in
// (the e-mail field marked when the address was refused) with a message
// saying what happened, nothing is recorded, and trying again works.
func TestSMTPFailureFirstRequest(t *testing.T) {
	for i, brk := range smtpBreaks {
		lang := languages[i%len(languages)]
		t.Run(brk.name, func(t *testing.T) {
			srv, e := smtpEnv(t, smtpUser, smtpPass)
			brk.apply(srv)
			b := e.browser()
			b.get("/?lang=" + lang)
			r := b.requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
			status, key := brk.answer("err.mail.rejected", "err.mail.failed")
			told(t, b, r, lang, status, key)
			if r.path != "/request/account" || strings.Contains(r.body, pass1) {
				t.Errorf("failed mail: at %s; the page holds the password: %v", r.path, strings.Contains(r.body, pass1))
			}
			keeps(t, r.body, "username", user1, false)
			keeps(t, r.body, "email", mail1, brk.refused)
			hidden(t, e, brk.logs, r.body)
			e.countRows(map[string]int{"citizens": 0, "tokens": 0, "token_codes": 0})
			if !brk.heals {
				return
			}
			srv.setFault(faultNone) // the eID proof still holds: send the form again
			to := mail1
			if brk.refused {
				to = "marie.dubois@example.org" // as told: another address
			}
			r = b.submit("/request/account", "/request/account", url.Values{"username": {user1},
				"password": {pass1}, "password2": {pass1}, "email": {to}})
			if r.path != "/request/sent" {
				t.Fatalf("retry: %d %s", r.status, r.path)
			}
			readMail(t, e, onlyMail(t, srv), to, e.p.cats[lang].T("mail.token.subject"))
			e.countRows(map[string]int{"citizens": 1, "tokens": 1})
		})
	}
}

// TestSMTPFailureRenewal: the page's script gets the message for the
// address on file or the mail service, and the token the citizen holds
// still works.
func TestSMTPFailureRenewal(t *testing.T) {
	for i, brk := range smtpBreaks {
		lang := languages[(i+1)%len(languages)]
		t.Run(brk.name, func(t *testing.T) {
			srv, e := smtpEnv(t, smtpUser, smtpPass)
			card := loadCard(t, "citizen-1.8")
			e.browser().requestOnline(card, user1, pass1, mail1)
			first := readMail(t, e, onlyMail(t, srv), mail1, e.p.cats["nl"].T("mail.token.subject"))
			brk.apply(srv)
			b := e.browser()
			b.get("/?lang=" + lang)
			r, ans := b.sendResp(b.proof(card))
			status, key := brk.answer("err.mail.rejected.stored", "err.mail.failed")
			if r.status != status || ans["error"] != key || ans["message"] != e.p.cats[lang].T(key) {
				t.Errorf("failed renewal: %d %v, want %d %s in %s", r.status, ans, status, key, lang)
			}
			retryAfter(t, r)
			hidden(t, e, brk.logs, r.body)
			codes := first.codes(t)
			if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" || !strings.Contains(r.body, first.serial(t)) {
				t.Errorf("the previous token no longer logs in: %s", r.path)
			}
			e.countRows(map[string]int{"tokens": 1, "token_codes": CodeCount})
		})
	}
}

// TestSMTPFailureDesk: the officer gets the form back with everything
// typed (the e-mail field marked when the address was refused), no
// activation code, and the first registration's link and code still work.
func TestSMTPFailureDesk(t *testing.T) {
	for i, brk := range smtpBreaks {
		lang := languages[(i+2)%len(languages)]
		t.Run(brk.name, func(t *testing.T) {
			srv, e := smtpEnv(t, smtpUser, smtpPass)
			officer := e.officer()
			officer.get("/officer?lang=" + lang)
			form := desk("85031486536")
			r := officer.submit("/officer", "/officer/register", form)
			code := activationCodeRE.FindStringSubmatch(r.body)
			mailed := readMail(t, e, onlyMail(t, srv), janMail, e.p.cats["nl"].T("mail.activation.subject"))
			link := activationLinkRE.FindStringSubmatch(mailed.html)
			if code == nil || link == nil {
				t.Fatalf("registration: code %v link %v", code, link)
			}
			brk.apply(srv)
			form.Set("lang", "en")
			r = officer.submit("/officer", "/officer/register", form)
			status, key := brk.answer("err.mail.rejected.desk", "err.mail.failed.desk")
			told(t, officer, r, lang, status, key)
			if activationCodeRE.MatchString(r.body) || !strings.Contains(r.body, `<option value="en" selected>`) {
				t.Errorf("failed registration shows a code, or lost the citizen's language")
			}
			for _, f := range []string{"nn", "surname", "given", "street", "zip", "municipality"} {
				keeps(t, r.body, f, form.Get(f), false)
			}
			keeps(t, r.body, "email", janMail, brk.refused)
			hidden(t, e, brk.logs, r.body)
			e.countRows(map[string]int{"citizens": 1, "activations": 1})
			path := strings.TrimPrefix(link[1], e.srv.URL)
			if r := e.browser().submit(path, path, activationForm(code[1], "jan", "a good password")); r.path != "/request/sent" {
				t.Errorf("first link after a failed registration: %d %s", r.status, r.path)
			}
		})
	}
}

// smtpBreak is a way delivery fails.
type smtpBreak struct {
	name    string
	apply   func(*smtpServer)
	logs    string // what the log must say
	refused bool   // the address itself is refused: ask for another
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

// answer is the status and message key expected after brk.
func (brk smtpBreak) answer(refusedKey, failedKey string) (int, string) {
	if brk.refused {
		return http.StatusUnprocessableEntity, refusedKey
	}
	return http.StatusServiceUnavailable, failedKey
}

// told checks the status and the message, in lang, of a page.
func told(t *testing.T, b *browser, r resp, lang string, status int, key string) {
	t.Helper()
	if r.status != status || !b.showsIn(r, lang, key) {
		t.Errorf("%d at %s, want %d with %s in %s:\n%s", r.status, r.path, status, key, lang, r.body)
	}
	retryAfter(t, r)
}

// retryAfter: a 503 says when to come back, other answers do not.
func retryAfter(t *testing.T, r resp) {
	t.Helper()
	want := ""
	if r.status == http.StatusServiceUnavailable {
		want = strconv.Itoa(int(mailRetryAfter / time.Second))
	}
	if got := r.header.Get("Retry-After"); got != want {
		t.Errorf("%d with Retry-After %q, want %q", r.status, got, want)
	}
}

var inputRE = regexp.MustCompile(`<input name="([a-z0-9]+)"[^>]*>`)

// keeps checks that the form's input name holds value and is marked
// invalid (and tied to the error message) exactly when marked.
func keeps(t *testing.T, body, name, value string, marked bool) {
	t.Helper()
	for _, m := range inputRE.FindAllStringSubmatch(body, -1) {
		if m[1] != name {
			continue
		}
		if !strings.Contains(m[0], ` value="`+html.EscapeString(value)+`"`) {
			t.Errorf("%s lost %q: %s", name, value, m[0])
		}
		if got := strings.Contains(m[0], `aria-invalid="true" aria-describedby="page-error"`); got != marked {
			t.Errorf("%s marked %v, want %v: %s", name, got, marked, m[0])
		}
		return
	}
	t.Errorf("no input %s in the page:\n%s", name, body)
}

// hidden checks that the failure is logged without the recipient or the
// credentials, and that the page shows neither them nor the server's
// reply (the CSRF token, random, is left out of the search).
func hidden(t *testing.T, e *env, logs, page string) {
	t.Helper()
	log := e.logs.String()
	if !strings.Contains(log, logs) {
		t.Errorf("the log does not say %q:\n%s", logs, log)
	}
	if s := firstIn(log, smtpUser, smtpPass, mail1, janMail); s != "" {
		t.Errorf("the log holds %q:\n%s", s, log)
	}
	page = csrfRE.ReplaceAllString(page, "")
	if s := firstIn(page, "SMTP", "smtp", "EOF", "535", "550", "553", "554", "451", "5.1.", "4.3.", "5.7.",
		"recipient rejected", "bad address", "relaying", "message refused", "authentication", "try again later",
		smtpUser, smtpPass); s != "" {
		t.Errorf("the page shows %q:\n%s", s, page)
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
