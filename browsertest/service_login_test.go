//go:build cgo

// Like the portal's own tests, this one reaches the card through pcscd
// (cgo).

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/demoservice"
	"github.com/eidbridge/eidbridge/pcsc"
	"github.com/eidbridge/eidbridge/portal"
	"github.com/eidbridge/eidbridge/portal/idp"
)

// A citizen logs in to a government service (the demo service, a relying
// party on another site) through the portal's OpenID provider, in real
// Chromium, with the agent and the virtual card in pcscd's vpcd reader:
// first with the federal token they got online with the eID, then, after
// logging out, with the eID and its PIN. Each time the service shows the
// card holder and how they logged in (its acr), and both logins are the
// same person to it. Last, a citizen who cancels at the portal comes back
// to the service's explanation of the provider's access_denied.
func TestServiceLoginInChromium(t *testing.T) {
	needPCSC(t)
	needChromium(t)
	w := startServiceWorld(t)
	w.requestToken()
	w.loginWithToken()
	w.logOut()
	w.loginWithEID()
	w.logOut()
	w.cancelAtPortal()
}

// The citizen, as the fixture card and the portal name them, and their
// account at the portal.
const (
	holder      = "Marie Claire Dubois"
	holderUser  = "marie.dubois"
	holderPass  = "correct horse battery"
	holderEmail = "marie@example.be"
)

// The service's registration with the portal.
const (
	serviceID     = "demo-service"
	serviceSecret = "browsertest-service-secret-0123456789" // at least idp.MinSecretLength
)

// serviceWorld is the portal, the service registered with it, the agent
// over the card in pcscd, and one browser going between them.
type serviceWorld struct {
	t       *testing.T
	b       *browser
	page    *tour // its submit fills and sends a form; nothing else of it is used
	agent   *agentEnv
	portal  string            // the portal's origin: the issuer
	service string            // the service's origin
	texts   map[string]string // the service's English catalogue
	codes   map[int]string    // the citizen's token codes, by position
	sub     string            // the citizen's identifier at the service, from the first login
}

func startServiceWorld(t *testing.T) *serviceWorld {
	t.Helper()
	pc, err := pcsc.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() }) // after the agent, which uses it
	agentLn := listen(t)
	logs := &agenttest.Buffer{}
	p, origin := startProvider(t, agentLn.Addr().(*net.TCPAddr).Port, logs)
	w := &serviceWorld{t: t, portal: origin, service: startService(t, p, origin, logs), texts: serviceTexts(t)}
	w.agent = serveAgent(t, agent.NewPCSCCards(pc), agentLn, []string{origin}, "")
	plugCard(t, pc)
	w.b = newBrowser(t, browserOptions{})
	w.page = &tour{t: t, b: w.b}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("portal and service log:\n%s", logs.String())
		}
	})
	return w
}

// startProvider runs the portal, for the agent on agentPort; it returns
// the portal, to register the service with, and its origin.
func startProvider(t *testing.T, agentPort int, logs *agenttest.Buffer) (*portal.Portal, string) {
	t.Helper()
	roots, inter := fixtureTrust(t)
	ln := listen(t)
	origin := "http://" + ln.Addr().String()
	p, err := portal.New(portal.Config{DataDir: t.TempDir(), Origin: origin, Roots: roots, Intermediates: inter,
		AgentPort: agentPort, SweepInterval: -1, Mailbox: true, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() }) // registered first, so run after the server's, which uses it
	serve(t, ln, p)
	return p, origin
}

// startService registers the demo service with the portal and runs it.
// It is reached as localhost, the portal as 127.0.0.1: another site, as a
// real service is, so that the browser treats the redirects between them
// as cross-site and the two keep their cookies apart.
func startService(t *testing.T, p *portal.Portal, issuer string, logs *agenttest.Buffer) string {
	t.Helper()
	ln := listen(t)
	origin := "http://localhost:" + itoa(ln.Addr().(*net.TCPAddr).Port)
	err := p.RegisterService(context.Background(), idp.ClientSpec{ID: serviceID, Name: demoservice.Name,
		Secret: serviceSecret, RedirectURIs: []string{origin + "/callback"}, PostLogoutURIs: []string{origin + "/"},
		Scopes: []string{idp.ScopeProfile}})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := demoservice.New(demoservice.Config{Issuer: issuer, ClientID: serviceID, ClientSecret: serviceSecret,
		Origin: origin, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	serve(t, ln, svc)
	return origin
}

func serve(t *testing.T, ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

// serviceTexts is the service's English catalogue: the test expects the
// service's own words, not copies of them that would drift.
func serviceTexts(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../demoservice/i18n/en.json")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// requestToken gets the citizen a federal token online, proving who they
// are with the card, and reads its codes in the portal's mailbox.
func (w *serviceWorld) requestToken() {
	w.t.Helper()
	w.b.run("opening the request page", chromedp.Navigate(w.portal+"/request"), chromedp.WaitVisible(chromedp.ID("eid-start")))
	w.b.run("proving the identity with the card", chromedp.Click(chromedp.ID("eid-start")),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
	w.submit("/request/account", `a.button[href="/login"]`, "username", holderUser, "password", holderPass,
		"password2", holderPass, "email", holderEmail)
	w.codes = readMailedCodes(w.t, w.b, w.portal, holderEmail)
}

// startLogin opens the service in English and presses its Log in, which
// leads to the portal's page for choosing how.
func (w *serviceWorld) startLogin() {
	w.t.Helper()
	w.b.run("opening the service", chromedp.Navigate(w.service+"/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`a.button[href="/login"]`)))
	w.b.run("pressing Log in", markStale(), chromedp.Click(chromedp.CSS(`a.button[href="/login"]`)),
		waitFresh("#with-eid"))
	w.b.screenshot("portal-connect")
	if at := w.location(); !strings.HasPrefix(at, w.portal+"/connect?id=") {
		w.t.Errorf("Log in led to %s, want the portal's /connect", at)
	}
	if name := w.b.text("#service-name"); name != demoservice.Name {
		w.t.Errorf("the portal names the service %q, want %q", name, demoservice.Name)
	}
}

func (w *serviceWorld) loginWithToken() {
	w.t.Helper()
	w.startLogin()
	w.b.run("choosing the token", markStale(), chromedp.Click(chromedp.ID("with-token")),
		waitFresh(`form[action="/login"] input[name="username"]`))
	w.submit("/login", `input[name="code"]`, "username", holderUser, "password", holderPass)
	pos := atoi(w.b.attr(`input[name="code"]`, "data-position"))
	if w.codes[pos] == "" {
		w.t.Fatalf("the portal asks for code %d; the token has %v", pos, w.codes)
	}
	w.submit("/login/code", "p.how", "code", w.codes[pos])
	w.loggedIn("service-token", demoservice.ACRToken, "me.how.token")
}

// loginWithEID: the agent's test dialog gives the PIN, as a citizen would.
func (w *serviceWorld) loginWithEID() {
	w.t.Helper()
	w.forgetQuestion()
	w.startLogin()
	w.b.run("choosing the eID", markStale(), chromedp.Click(chromedp.ID("with-eid")), waitFresh("#eid-start"))
	w.b.run("logging in with the eID", markStale(), chromedp.Click(chromedp.ID("eid-start")), waitFresh("p.how"))
	q, shown := w.agent.question()
	if !shown || q.Kind != ui.KindPIN || q.Purpose != ui.PurposeAuthenticate || q.Origin != w.portal {
		w.t.Errorf("the agent's dialog (shown: %v): %+v, want the PIN to authenticate to %s", shown, q, w.portal)
	}
	w.loggedIn("service-eid", demoservice.ACREID, "me.how.eid")
}

// loggedIn checks the service's page after a login: the holder's name,
// how they logged in in words and as the acr, and the same identifier for
// the citizen whichever way they log in.
func (w *serviceWorld) loggedIn(shot, acr, howKey string) {
	w.t.Helper()
	w.b.screenshot(shot)
	if at := w.location(); at != w.service+"/" {
		w.t.Errorf("the login ended at %s, want the service's home", at)
	}
	if h := w.b.text("h1"); h != fmt.Sprintf(w.texts["me.title"], holder) {
		w.t.Errorf("the service greets %q, want %s", h, holder)
	}
	if how := w.b.text("p.how"); how != w.texts[howKey] {
		w.t.Errorf("the service says %q, want %q", how, w.texts[howKey])
	}
	claims := get(w.b, "reading the claims", chromedp.Evaluate[map[string]string](claimsJS))
	if got := claims[w.texts["me.acr"]]; got != acr {
		w.t.Errorf("the service shows acr %q, want %q (claims %v)", got, acr, claims)
	}
	sub := w.b.text("code.sub")
	if w.sub == "" {
		w.sub = sub
	} else if sub != w.sub {
		w.t.Errorf("the citizen is %q at the service now, %q before: one person, two identifiers", sub, w.sub)
	}
}

// claimsJS reads the service's list of claims: each label's value.
const claimsJS = `Object.fromEntries([...document.querySelectorAll("dl.claims dt")]
  .map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]))`

// logOut presses Log out; the service ends its session and passes
// through the portal's logout back to its home, which offers Log in.
func (w *serviceWorld) logOut() {
	w.t.Helper()
	w.submit("/logout", `a.button[href="/login"]`)
	if at := w.location(); at != w.service+"/" {
		w.t.Errorf("the logout ended at %s, want the service's home", at)
	}
}

// cancelAtPortal: the citizen chooses the eID, then cancels; the service
// explains the refusal and gives the provider's code, the card is not
// touched, and the service keeps no session.
func (w *serviceWorld) cancelAtPortal() {
	w.t.Helper()
	w.forgetQuestion()
	w.startLogin()
	w.b.run("choosing the eID", markStale(), chromedp.Click(chromedp.ID("with-eid")), waitFresh("#eid-start"))
	w.b.run("cancelling at the portal", markStale(), chromedp.Click(chromedp.ID("connect-cancel")),
		waitFresh("p.error"))
	w.b.screenshot("service-cancelled")
	if at := w.location(); !strings.HasPrefix(at, w.service+"/callback?") {
		w.t.Errorf("the cancel ended at %s, want the service's callback", at)
	}
	if msg := w.b.text("p.error"); msg != w.texts["err.denied"] {
		w.t.Errorf("the service says %q, want %q", msg, w.texts["err.denied"])
	}
	if code, want := w.b.text("main small"), fmt.Sprintf(w.texts["err.code"], "access_denied"); code != want {
		w.t.Errorf("the service shows %q, want %q", code, want)
	}
	if q, shown := w.agent.question(); shown {
		w.t.Errorf("the agent showed a dialog for a cancelled login: %+v", q)
	}
	// The home offers Log in only to a browser without a session.
	w.b.run("opening the service again", chromedp.Navigate(w.service+"/"),
		chromedp.WaitVisible(chromedp.CSS(`a.button[href="/login"]`)))
}

// forgetQuestion removes the agent's last dialog, so that the next
// question read is this step's.
func (w *serviceWorld) forgetQuestion() {
	if err := os.Remove(filepath.Join(w.agent.dialogDir, "question.json")); err != nil && !os.IsNotExist(err) {
		w.t.Fatal(err)
	}
}

// submit sends a form as the tour does, and waits for the next page to
// load (see settled).
func (w *serviceWorld) submit(action, sel string, fields ...string) {
	w.t.Helper()
	w.page.submit(action, sel, fields...)
	w.b.run("waiting for the page after "+action, loaded())
}

func (w *serviceWorld) location() string {
	return get(w.b, "reading the address", chromedp.Location())
}
