//go:build cgo

package browsertest

import (
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/pcsc"
)

// portalLangs are the portal's languages.
var portalLangs = []string{"nl", "fr", "de", "en"}

// Every page and state of the portal's request, activation and login
// flows, in each language, passes axe-core's rules (axeTags), is marked
// in its language, and its header stays on one line in a 1050 px wide
// window. Each language has a portal of its own, so that each sees a
// first request (the account page); one agent, card and browser serve
// them all, one after the other.
func TestPortalA11y(t *testing.T) {
	needPCSC(t)
	needChromium(t)
	axe := needAxe(t)
	pc, err := pcsc.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	ln := listen(t)
	origins, logs := make([]string, len(portalLangs)), make([]*agenttest.Buffer, len(portalLangs))
	for i := range portalLangs {
		logs[i] = &agenttest.Buffer{}
		origins[i] = startPortal(t, ln.Addr().(*net.TCPAddr).Port, logs[i])
	}
	a := serveAgent(t, agent.NewPCSCCards(pc), ln, origins, "")
	plugCard(t, pc)
	b := newBrowser(t, browserOptions{})
	b.run("setting a 1050 px wide window", chromedp.EmulateViewport(1050, 800))
	for i, lang := range portalLangs {
		t.Run(lang, func(t *testing.T) {
			u := &tour{t: t, b: b.forTest(t), a: a, origin: origins[i], lang: lang, axe: axe, seen: map[string]bool{}}
			defer func() {
				if t.Failed() {
					t.Logf("portal log:\n%s", logs[i].String())
				}
			}()
			u.b.run("forgetting the last portal's cookies", clearCookies())
			u.request()
			u.login()
			u.service()
			u.desk()
			u.refusal()
		})
	}
}

// tour walks one portal in one language, checking each state.
type tour struct {
	t      *testing.T
	b      *browser
	a      *agentEnv
	origin string
	lang   string
	axe    string
	code   string // the activation code the desk handed out
	seen   map[string]bool
}

// The token request online: the eID step, then the account.
func (u *tour) request() {
	u.visit("home", "/?lang="+u.lang, "main h1")
	u.visit("not-found", "/nowhere", "#page-error")
	u.visit("install-help", "/help/install", "#downloads")
	u.visit("request", "/request", "#eid-start")
	u.step("proving the identity", chromedp.Click(chromedp.ID("eid-start")),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
	u.check("account")
	u.submit("/request/account", "#page-error", "username", a11yUser, "password", a11yUser+"2024",
		"password2", a11yUser+"2024", "email", a11yEmail)
	u.check("account-error")
	u.submit("/request/account", `a.button[href="/login"]`, "password", a11yPass, "password2", a11yPass)
	u.check("sent")
}

// refusal: the citizen cancels the agent's dialog, and the request page
// says so; pressed again at once, the button meets the agent's back-off,
// which the page tells in its own language too, not in the agent's
// English. Last, since the agent then holds this site back a while.
func (u *tour) refusal() {
	u.visit("request", "/request", "#eid-start")
	u.a.answer("cancel")
	defer u.a.answer("ok")
	u.step("cancelling in the agent's dialog", chromedp.Click(chromedp.ID("eid-start")),
		chromedp.WaitVisible(chromedp.CSS(`#eid-request[data-error] #eid-status`)))
	u.check("request-cancelled")
	u.step("asking again at once", chromedp.Click(chromedp.ID("eid-start")),
		chromedp.WaitVisible(chromedp.CSS(`#eid-request[data-error="RATE_LIMITED"] #eid-status`)))
	if got, want := u.b.text("#eid-status"), u.b.attr("#eid-request", "data-msg-code-rate-limited"); got != want || want == "" {
		u.t.Errorf("the page says %q after the agent's back-off, want its own %q", got, want)
	}
}

const (
	a11yUser  = "marie.dubois"
	a11yPass  = "correct horse battery"
	a11yEmail = "marie@example.be"
)

// The login: a wrong password, the code asked, a wrong code, the right one.
func (u *tour) login() {
	codes := u.mailCodes()
	u.visit("login", "/login", `input[name="username"]`)
	u.submit("/login", "#page-error", "username", a11yUser, "password", "not my password")
	u.check("login-error")
	u.submit("/login", "input.code", "username", a11yUser, "password", a11yPass)
	u.check("code")
	pos := u.b.attr("input.code", "data-position")
	u.submit("/login/code", "#page-error", "code", "WRONGX")
	u.check("code-error")
	u.submit("/login/code", "dd.serial", "code", codes[atoi(pos)])
	u.check("me")
}

// The desk: the officer's eID login, the register form, refused once;
// then the citizen's activation, refused once, and the letter.
func (u *tour) desk() {
	u.visit("officer-login", "/officer", "#eid-start")
	u.step("logging in at the desk", chromedp.Click(chromedp.ID("eid-start")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/officer/register"]`)))
	u.check("officer-desk")
	u.submit("/officer/register", "#page-error", "nn", "85031486537", "surname", "Peeters", "given", "Jan",
		"street", "Kerkstraat 1", "zip", "9000", "municipality", "Gent", "email", "jan@example.be")
	u.check("officer-desk-error")
	u.step("clearing the national number", chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name="nn"]').value = ""`))
	u.submit("/officer/register", "#activation-code", "nn", "85031486536")
	u.check("officer-done")
	u.code = u.b.text("#activation-code")
	link := u.openNewestMail("activation-mail", "jan@example.be", "a.activation-link")
	u.step("opening the activation link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name="code"]`)))
	u.check("activate")
	u.submit(actionOf(link), "#tries-left", "code", "WRONGCODE2", "username", "jan.peeters",
		"password", a11yPass, "password2", a11yPass)
	u.check("activate-error")
	u.keptPasswords()
	u.submit(actionOf(link), `a.button[href="/login"]`, "code", u.code)
	u.check("sent-letter")
	u.openNewestMail("letter", "Jan Peeters", "td.code")
}

// keptPasswords: after a wrong activation code the form keeps both
// passwords as the citizen typed them.
func (u *tour) keptPasswords() {
	for _, name := range []string{"password", "password2"} {
		if v := get(u.b, "reading "+name, chromedp.Value(chromedp.CSS(`input[name="`+name+`"]`))); v != a11yPass {
			u.t.Errorf("after a wrong activation code %s holds %q, want what was typed", name, v)
		}
	}
}

// mailCodes opens the token e-mail and returns its codes by position.
func (u *tour) mailCodes() map[int]string {
	u.openNewestMail("token-mail", a11yEmail, "td.code")
	html := get(u.b, "reading the codes", chromedp.OuterHTML(chromedp.CSS(`table.codes`)))
	codes := map[int]string{}
	for _, m := range codeRE.FindAllStringSubmatch(html, -1) {
		codes[atoi(m[1])] = m[2]
	}
	return codes
}

// openNewestMail checks the mailbox, opens its newest message, to, and
// checks it; it returns the href of sel there, if it is a link.
func (u *tour) openNewestMail(name, to, sel string) string {
	u.visit("mailbox", "/mailbox", `table.mailbox a[href^="/mailbox/"]`)
	if list := u.b.text("table.mailbox"); !strings.Contains(list, to) {
		u.t.Fatalf("the mailbox has no message to %s: %q", to, list)
	}
	u.step("opening the newest message", chromedp.Click(chromedp.CSS(`table.mailbox a[href^="/mailbox/"]`)),
		chromedp.WaitVisible(chromedp.CSS(sel)))
	u.check(name)
	return get(u.b, "reading "+sel, chromedp.AttributeValue(chromedp.CSS(sel), "href")).Value
}
