//go:build cgo

package browsertest

import (
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/pcsc"
	"github.com/eidbridge/eidbridge/portal"
)

// A citizen who uses only the keyboard does it all with Tab, Shift-Tab,
// Enter and Space and by typing: chooses English, requests a token with
// the eID (the agent's dialogs answered by the script), has a desk
// officer register a second citizen, reads the activation e-mail in the
// mailbox, activates, and logs in with the username, the password and the
// code asked. Every control reached shows where the focus is, and the
// forms are crossed in the order they are read.
func TestPortalKeyboardOnly(t *testing.T) {
	needPCSC(t)
	needChromium(t)
	pc, err := pcsc.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	ln := listen(t)
	origin := startPortal(t, ln.Addr().(*net.TCPAddr).Port, &agenttest.Buffer{})
	serveAgent(t, agent.NewPCSCCards(pc), ln, []string{origin}, "")
	plugCard(t, pc)
	k := &keyboard{t: t, b: newBrowser(t, browserOptions{})}
	k.b.run("opening the home page", chromedp.EmulateViewport(1050, 800), chromedp.Navigate(origin+"/"),
		chromedp.WaitVisible(chromedp.CSS("main h1")))
	k.chooseEnglish()
	k.request()
	k.desk()
	k.activate()
	k.login()
}

// chooseEnglish: the first Tab reaches the skip link, which leads into
// the page; Shift-Tab from there goes back to the language links.
func (k *keyboard) chooseEnglish() {
	k.expect(kb.Tab, "a.skip")
	k.b.screenshot("skip-link")
	k.expect(kb.Enter, "main#main")
	k.expect(kb.Tab, `main a.button[href="/request"]`)
	k.expectOrder(shiftTab, `.langs a[hreflang="en"]`, `.langs a[hreflang="de"]`, `.langs a[hreflang="fr"]`,
		`.langs a[hreflang="nl"]`, `nav a[href="/mailbox"]`, `nav a[href="/request"]`, `nav a[href="/login"]`,
		`a.brand`, "a.skip")
	k.tabTo(`.langs a[hreflang="en"]`)
	k.b.screenshot("focus-on-english")
	k.follow("main h1", kb.Enter)
	if lang := k.b.attr("html", "lang"); lang != "en" {
		k.t.Fatalf("the English link opened a page in %q", lang)
	}
}

// request: the token request online, the eID step through the agent,
// then the account form, field by field in reading order.
func (k *keyboard) request() {
	k.tabTo(`main a.button[href="/request"]`)
	k.follow("#eid-start", kb.Enter)
	k.tabTo("#eid-start")
	k.follow(`input[name="username"]`, " ") // Space presses a button
	k.fill(`form[action="/request/account"] button`, "username", a11yUser, "password", a11yPass,
		"password2", a11yPass, "email", a11yEmail)
	k.b.screenshot("account-typed")
	k.follow(`a.button[href="/login"]`, kb.Enter)
}

// desk: the officer logs in with the eID from the footer's link and
// registers a citizen, choosing English in the list by typing its first
// letter; the page shows the activation code to hand over.
func (k *keyboard) desk() {
	k.tabTo(`footer a[href="/officer"]`)
	k.follow("#eid-start", kb.Enter)
	k.tabTo("#eid-start")
	k.follow(`input[name="nn"]`, " ")
	k.fill(`select[name="lang"]`, "nn", "85.03.14-865.36", "surname", "Peeters", "given", "Jan",
		"street", "Kerkstraat 1", "zip", "9000", "municipality", "Gent", "email", "jan@example.be")
	k.typeText("E")
	if lang := get(k.b, "reading the language", chromedp.Evaluate[string](`document.activeElement.value`)); lang != "en" {
		k.t.Errorf("typing E in the language list chose %q, want en", lang)
	}
	k.expect(kb.Tab, `form[action="/officer/register"] button`)
	k.follow("#activation-code", kb.Enter)
	k.code = k.b.text("#activation-code")
}

// activate: the activation e-mail, newest in the mailbox, and its link.
func (k *keyboard) activate() {
	k.openNewestMail("a.activation-link")
	k.tabTo("a.activation-link")
	k.follow(`input[name="code"]`, kb.Enter)
	k.fill(`form[action^="/activate/"] button`, "code", k.code, "username", "jan.peeters", "password", a11yPass,
		"password2", a11yPass)
	k.follow(`a.button[href="/login"]`, kb.Enter)
}

// login reads the codes of the posted letter, then logs in.
func (k *keyboard) login() {
	k.openNewestMail("td.code")
	codes := k.letterCodes()
	k.tabTo(`nav a[href="/login"]`)
	k.follow(`input[name="username"]`, kb.Enter)
	k.fill(`form[action="/login"] button`, "username", "jan.peeters", "password", a11yPass)
	k.follow("input.code", kb.Enter)
	pos := atoi(k.b.attr("input.code", "data-position"))
	k.fill(`form[action="/login/code"] button`, "code", codes[pos])
	k.follow("dd.serial", kb.Enter)
	if me := k.b.text("dl"); !strings.Contains(me, "Jan Peeters") {
		k.t.Errorf("logged in, the page shows %q", me)
	}
}

// openNewestMail goes to the mailbox by the header's link and opens the
// first message, waiting for sel in it.
func (k *keyboard) openNewestMail(sel string) {
	k.tabTo(`nav a[href="/mailbox"]`)
	k.follow(`table.mailbox a[href^="/mailbox/"]`, kb.Enter)
	k.tabTo(`table.mailbox a[href^="/mailbox/"]`)
	k.follow(sel, kb.Enter)
	k.b.screenshot("mail")
}

func (k *keyboard) letterCodes() map[int]string {
	html := get(k.b, "reading the codes", chromedp.OuterHTML(chromedp.CSS(`table.codes`)))
	codes := map[int]string{}
	for _, m := range codeRE.FindAllStringSubmatch(html, -1) {
		codes[atoi(m[1])] = m[2]
	}
	if len(codes) != portal.CodeCount {
		k.t.Fatalf("the letter shows %d codes, want %d", len(codes), portal.CodeCount)
	}
	return codes
}
