package main

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// demoToken is one token e-mail read on the mailbox page.
type demoToken struct {
	file   string
	serial string
	codes  map[int]string
}

var (
	demoMailRE   = regexp.MustCompile(`href="/mailbox/([^"]+-mail-[^"]+\.eml)"`)
	demoCodeRE   = regexp.MustCompile(`<td class="code" data-position="(\d+)">([A-Z]{6})</td>`)
	demoSerialRE = regexp.MustCompile(`<span class="serial">([0-9-]+)</span>`)
)

// newestToken opens the mailbox page and the newest e-mail in it, as the
// citizen does, and reads the token card.
func (b *demoBrowser) newestToken() demoToken {
	b.t.Helper()
	_, page := b.get("/mailbox")
	m := demoMailRE.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("no e-mail on the mailbox page:\n%s", page)
	}
	r, mail := b.get("/mailbox/" + m[1])
	s := demoSerialRE.FindStringSubmatch(mail)
	if r.StatusCode != http.StatusOK || s == nil {
		b.t.Fatalf("e-mail %s: %d, no token serial:\n%s", m[1], r.StatusCode, mail)
	}
	tok := demoToken{file: m[1], serial: s[1], codes: map[int]string{}}
	for _, c := range demoCodeRE.FindAllStringSubmatch(mail, -1) {
		n, _ := strconv.Atoi(c[1])
		tok.codes[n] = c[2]
	}
	if len(tok.codes) != 24 {
		b.t.Fatalf("the token e-mail holds %d codes, want 24", len(tok.codes))
	}
	return tok
}

// loginAsked posts username and password and returns the code position
// the portal asks for.
func (b *demoBrowser) loginAsked(user, pass string) int {
	b.t.Helper()
	path, _ := b.submit("/login", "/login", url.Values{"username": {user}, "password": {pass}})
	if path != "/login/code" {
		b.t.Fatalf("login with username and password ended on %s", path)
	}
	n, _ := strconv.Atoi(b.attr(`data-position="(\d+)"`))
	return n
}

func (b *demoBrowser) sendCode(code string) string {
	b.t.Helper()
	path, _ := b.post("/login/code", url.Values{"csrf": {b.csrf()}, "code": {code}})
	return path
}

// TestDemoWholeFlow runs `eidbridge demo --auto-pin` and goes through the
// walkthrough it prints, as a browser and the portal's script would:
// token request with the eID through the demo's agent, the e-mail on the
// mailbox page, login with a code, a second request revoking the first
// token, the officer page; then Ctrl-C.
func TestDemoWholeFlow(t *testing.T) {
	for _, applet := range []string{"1.8", "1.7"} {
		t.Run(applet, func(t *testing.T) { demoWholeFlow(t, applet) })
	}
}

func demoWholeFlow(t *testing.T, applet string) {
	p := startDemo(t, "--auto-pin", "--applet", applet, "--addr", "127.0.0.1:0", "--agent-port", "0")
	if !strings.Contains(p.banner, "(applet "+applet+")") {
		t.Errorf("banner does not name applet %s:\n%s", applet, p.banner)
	}
	base, data := p.url(t), p.field(t, `data +(\S+) \(removed at exit`)
	for _, want := range []string{"AUTOMATICALLY", base + "/mailbox", base + "/officer"} {
		if !strings.Contains(p.banner, want) {
			t.Errorf("banner does not say %q:\n%s", want, p.banner)
		}
	}
	b := newDemoBrowser(t, base)
	r, _ := b.get("/request")
	agentURL := b.attr(`data-agent="([^"]+)"`)
	if !strings.Contains(p.banner, agentURL) {
		t.Errorf("the page's agent %s is not the one the banner names", agentURL)
	}
	port := strings.TrimSuffix(strings.TrimPrefix(agentURL, "ws://127.0.0.1:"), "/v1")
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "ws://127.0.0.1:"+port+" ") {
		t.Errorf("the page's CSP does not let its script reach the agent on %s: %s", port, csp)
	}

	if next := b.requestWithEID(); next != "/request/account" {
		t.Fatalf("first request: next page %s, want /request/account", next)
	}
	const user, pass = "lien.maes", "correct horse battery"
	path, _ := b.submit("/request/account", "/request/account", url.Values{"username": {user},
		"password": {pass}, "password2": {pass}, "email": {"lien@example.be"}})
	if path != "/request/sent" {
		t.Fatalf("account form ended on %s", path)
	}
	if log := p.stderr.String(); !strings.Contains(log, "answered the pin question (authenticate) AUTOMATICALLY") {
		t.Errorf("the auto-PIN answerer did not answer the PIN:\n%s", log)
	}
	first := b.newestToken()
	if _, err := os.Stat(filepath.Join(data, "portal", "outbox", first.file)); err != nil {
		t.Errorf("the e-mail is not in the data directory's outbox: %v", err)
	}
	pos := b.loginAsked(user, pass)
	if path := b.sendCode(first.codes[pos]); path != "/me" || !strings.Contains(b.page, first.serial) {
		t.Fatalf("login with code %d ended on %s, want /me showing token %s", pos, path, first.serial)
	}

	// A new token revokes the old one: the old code fails, the new works.
	if next := b.requestWithEID(); next != "/request/sent" {
		t.Fatalf("second request: next page %s, want /request/sent", next)
	}
	second := b.newestToken()
	if second.serial == first.serial {
		t.Fatalf("the second request e-mailed the first token %s again", first.serial)
	}
	b2 := newDemoBrowser(t, base)
	pos = b2.loginAsked(user, pass)
	if path := b2.sendCode(first.codes[pos]); path == "/me" {
		t.Error("a code of the revoked token still logs in")
	}
	if path := b2.sendCode(second.codes[pos]); path != "/me" || !strings.Contains(b2.page, second.serial) {
		t.Errorf("login with the new token's code ended on %s", path)
	}

	b3 := newDemoBrowser(t, base)
	if next := b3.officerWithEID(); next != "/officer" {
		t.Errorf("the desk officer's eID login ended on %q", next)
	}
	if _, page := b3.get("/officer"); !strings.Contains(page, `action="/officer/register"`) {
		t.Error("the desk after the officer's eID login shows no register form")
	}

	p.stop(t)
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("the temporary data directory %s is still there after Ctrl-C (%v)", data, err)
	}
}

// TestDemoThroughPCSC: with --pcsc the agent reaches the card through
// pcscd; the demo's own virtual card, plugged into vpcd as the banner
// says, proves the citizen's identity to the portal.
func TestDemoThroughPCSC(t *testing.T) {
	needPCSC(t)
	data := filepath.Join(t.TempDir(), "demo")
	p := startDemo(t, "--pcsc", "--auto-pin", "--addr", "127.0.0.1:0", "--agent-port", "0", "--data", data)
	card := p.field(t, `eidbridge vcard run (\S+)`)
	if card != filepath.Join(data, "card") {
		t.Errorf("the banner plugs in %s, not the demo's card", card)
	}
	startVcard(t, card, "1.8")
	b := newDemoBrowser(t, p.url(t))
	if next := b.requestWithEID(); next != "/request/account" {
		t.Fatalf("request through pcscd: next page %s, want /request/account", next)
	}
}
