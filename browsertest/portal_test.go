//go:build cgo

// The portal flow reaches the card through pcscd (cgo); without cgo the
// other browser tests still run.

package browsertest

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/eid/virtualcard/vpcd"
	"github.com/eidbridge/eidbridge/pcsc"
	"github.com/eidbridge/eidbridge/portal"
)

// The first vpcd slot, as the integration tests use it (they never run at
// the same time: make test runs one package at a time).
const (
	vpcdReader = "Virtual PCD 00 00"
	vpcdAddr   = "127.0.0.1:35963"
)

func needPCSC(t *testing.T) {
	t.Helper()
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") != "1" {
		t.Skip("integration test: set EIDBRIDGE_PCSC_TESTS=1 with pcscd and vsmartcard-vpcd running (make test does)")
	}
}

// startPortal runs the token portal on 127.0.0.1 for the agent on
// agentPort; it returns the portal's origin.
func startPortal(t *testing.T, agentPort int, logs *agenttest.Buffer) string {
	t.Helper()
	p, origin := startProvider(t, agentPort, logs)
	// The card's holder staffs the desk too (TestPortalOfficerLogin).
	if err := p.AddOfficer(context.Background(), fixtureNN(t), "Desk Officer"); err != nil {
		t.Fatal(err)
	}
	// A service that logs citizens in through it (a11y_service_test.go).
	if err := p.RegisterService(context.Background(), a11yService); err != nil {
		t.Fatal(err)
	}
	return origin
}

// fixtureNN is the national number of the fixture card's holder.
func fixtureNN(t *testing.T) string {
	content, err := virtualcard.Load(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	id, err := eid.ParseIdentity(content.Files[fmt.Sprintf("%X", eid.FileIdentity.Path)])
	if err != nil {
		t.Fatal(err)
	}
	return id.NationalNumber
}

// A desk officer logs in at the desk page with their own eID, through the
// agent and the card in pcscd, and gets the register form; no password.
func TestPortalOfficerLogin(t *testing.T) {
	needPCSC(t)
	needChromium(t)
	pc, err := pcsc.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	ln := listen(t)
	origin := startPortal(t, ln.Addr().(*net.TCPAddr).Port, &agenttest.Buffer{})
	a := serveAgent(t, agent.NewPCSCCards(pc), ln, []string{origin}, "")
	plugCard(t, pc)
	b := newBrowser(t, browserOptions{})
	b.run("opening the desk page", chromedp.Navigate(origin+"/officer"), chromedp.WaitVisible(chromedp.ID("eid-start")))
	if strings.Contains(b.text("body"), "password") {
		t.Error("the desk page still asks for a password")
	}
	b.screenshot("portal-officer-login")
	b.run("logging in with the eID", chromedp.Click(chromedp.ID("eid-start")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/officer/register"]`)))
	b.screenshot("portal-officer-desk")
	if q, _ := a.question(); q.Origin != origin || q.Purpose != "authenticate" {
		t.Errorf("the agent's dialog: %+v, want an authentication for %s", q, origin)
	}
}

// plugCard serves the virtual citizen card into pcscd's first vpcd reader
// until the test ends, and waits until pcscd sees it.
func plugCard(t *testing.T, pc *pcsc.Context) {
	t.Helper()
	if !readerEmpties(pc, 5*time.Second) {
		t.Fatalf("%q already holds a card: another process uses vpcd port %s", vpcdReader, vpcdAddr)
	}
	content, err := virtualcard.Load(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- vpcd.Serve(ctx, vpcdAddr, virtualcard.New(content)) }()
	t.Cleanup(func() {
		cancel()
		<-done
		readerEmpties(pc, 5*time.Second) // pcscd notices a removal within its 400 ms poll
	})
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		c, err := pc.Connect(vpcdReader)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pcscd does not see the card in %q: %v", vpcdReader, err)
		}
	}
}

// readerEmpties waits, bounded, until the first vpcd reader holds no card.
func readerEmpties(pc *pcsc.Context, wait time.Duration) bool {
	for deadline := time.Now().Add(wait); ; time.Sleep(50 * time.Millisecond) {
		c, err := pc.Connect(vpcdReader)
		if err != nil {
			return true
		}
		c.Close()
		if time.Now().After(deadline) {
			return false
		}
	}
}

var codeRE = regexp.MustCompile(`<td class="code" data-position="(\d+)">([A-Z]+)</td>`)

// The portal's online token request, clicked through in Chromium against
// the agent and the virtual card through pcscd and vpcd: the identity is
// proved with the card, the token is e-mailed (to the outbox, shown in
// the mailbox page), and one of its codes logs the citizen in. The page
// reaches the agent's websocket directly.
func TestPortalOnlineRequest(t *testing.T) { portalOnlineRequest(t, "websocket") }

// The same with the unpacked extension loaded: the client finds it and
// the agent is reached through eidbridge nm-host.
func TestPortalOnlineRequest_extension(t *testing.T) { portalOnlineRequest(t, "extension") }

func portalOnlineRequest(t *testing.T, via string) {
	needPCSC(t)
	needChromium(t)
	pc, err := pcsc.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() }) // after the agent, which uses it
	ln := listen(t)
	port := ln.Addr().(*net.TCPAddr).Port
	portalLogs := &agenttest.Buffer{}
	origin := startPortal(t, port, portalLogs)
	opts, relayKey := browserOptions{}, ""
	if via == "extension" {
		home := newHome(t)
		home.setUp(t, port)
		ext, err := filepath.Abs("../webext/extension")
		if err != nil {
			t.Fatal(err)
		}
		opts = browserOptions{userDataDir: home.chromiumProfile(), env: home.env(), extension: ext}
		relayKey = home.relayKey()
	}
	a := serveAgent(t, agent.NewPCSCCards(pc), ln, []string{origin}, relayKey)
	plugCard(t, pc)
	b := newBrowser(t, opts)
	defer func() {
		if t.Failed() {
			t.Logf("portal log:\n%s", portalLogs.String())
		}
	}()

	b.run("opening the request page", chromedp.Navigate(origin+"/request"), chromedp.WaitVisible(chromedp.ID("eid-start")))
	b.screenshot("portal-request")
	b.run("proving the identity with the card", chromedp.Click(chromedp.ID("eid-start")),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
	b.screenshot("portal-account")
	if q, _ := a.question(); q.Origin != origin {
		t.Errorf("the agent's dialog showed %q, want %q", q.Origin, origin)
	}
	if !strings.Contains(b.text("body"), "Marie Claire") {
		t.Errorf("the account page does not greet the card holder: %q", b.text("body"))
	}
	// Only a connection through the extension's relay proves itself.
	if relayed := strings.Contains(a.logs.String(), "relay proved itself"); relayed != (via == "extension") {
		t.Errorf("reached the agent through the relay: %v, want it only for the extension", relayed)
	}

	const user, pass, email = "marie.dubois", "correct horse battery", "marie@example.be"
	b.run("creating the account",
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), pass),
		chromedp.SendKeys(chromedp.CSS(`input[name="password2"]`), pass),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), email),
		chromedp.Click(chromedp.CSS(`form[action="/request/account"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`a.button[href="/login"]`)))
	b.screenshot("portal-sent")
	if sent := b.text("body"); !strings.Contains(sent, email) {
		t.Errorf("the confirmation does not name %s: %q", email, sent)
	}

	codes := readMailedCodes(t, b, origin, email)

	b.run("logging in", chromedp.Navigate(origin+"/login"),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), pass),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`input.code`)))
	pos, _ := strconv.Atoi(b.attr("input.code", "data-position"))
	if codes[pos] == "" {
		t.Fatalf("the portal asks for code %d; the e-mail has %v", pos, codes)
	}
	b.screenshot("portal-code")
	b.run("entering the code", chromedp.SendKeys(chromedp.CSS(`input.code`), codes[pos]),
		chromedp.Click(chromedp.CSS(`form[action="/login/code"] button`)), chromedp.WaitVisible(chromedp.CSS(`dd.serial`)))
	b.screenshot("portal-logged-in")
	if me := b.text("dl"); !strings.Contains(me, "Marie Claire Dubois") {
		t.Errorf("the account page shows %q", me)
	}
}

// No agent: the request page shows the portal's own words and a link to
// the portal's install help, and the button can be pressed again.
func TestPortalAgentNotRunning(t *testing.T) {
	needChromium(t)
	origin := startPortal(t, deadPort(t), &agenttest.Buffer{})
	b := newBrowser(t, browserOptions{})
	b.run("opening the request page", chromedp.Navigate(origin+"/request"), chromedp.WaitVisible(chromedp.ID("eid-start")))
	b.run("pressing the button", chromedp.Click(chromedp.ID("eid-start")),
		chromedp.WaitVisible(chromedp.ID("eid-install")))
	b.screenshot("portal-no-agent")
	code, href, text := b.attr("#eid-request", "data-error"), b.attr("#eid-install", "href"), b.text("#eid-status")
	if code != "AGENT_UNAVAILABLE" || href != "/help/install" ||
		!strings.Contains(text, "The eidbridge agent does not answer") || !strings.Contains(text, "How to install eidbridge") {
		t.Errorf("the page shows %q (error %q, link %q)", text, code, href)
	}
	if get(b, "reading the button", chromedp.Evaluate[bool](`document.getElementById("eid-start").disabled`)) {
		t.Error("the button stays disabled after the failure")
	}
	b.run("following the install link", chromedp.Click(chromedp.ID("eid-install")), chromedp.WaitVisible(chromedp.ID("downloads")))
	b.screenshot("portal-install-help")
	if page := b.text("main"); !strings.Contains(page, "Windows") || !strings.Contains(page, "sudo apt install") {
		t.Errorf("the install help page shows %q", page)
	}
}

// readMailedCodes opens the newest message for email in the portal's
// mailbox page and returns its codes by position.
func readMailedCodes(t *testing.T, b *browser, origin, email string) map[int]string {
	t.Helper()
	b.run("opening the mailbox", chromedp.Navigate(origin+"/mailbox"),
		chromedp.WaitVisible(chromedp.CSS(`table.mailbox a[href^="/mailbox/"]`)))
	b.screenshot("portal-mailbox")
	if list := b.text("table.mailbox"); !strings.Contains(list, email) {
		t.Fatalf("the mailbox has no message to %s: %q", email, list)
	}
	b.run("opening the e-mail", chromedp.Click(chromedp.CSS(`table.mailbox a[href^="/mailbox/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`td.code`)))
	b.screenshot("portal-token-email")
	html := get(b, "reading the codes", chromedp.OuterHTML(chromedp.CSS(`table.codes`)))
	codes := map[int]string{}
	for _, m := range codeRE.FindAllStringSubmatch(html, -1) {
		n, _ := strconv.Atoi(m[1])
		codes[n] = m[2]
	}
	if len(codes) != portal.CodeCount {
		t.Fatalf("the e-mail shows %d codes, want %d", len(codes), portal.CodeCount)
	}
	return codes
}
