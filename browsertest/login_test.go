package browsertest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eidbridge/eidbridge/agent/ui"
)

const installURL = "https://eidbridge.example/install"

// scenario is the test site open in Chromium, reaching the agent directly
// ("websocket") or through the extension and eidbridge nm-host.
type scenario struct {
	t     *testing.T
	via   string
	site  *site
	agent *agentEnv // nil: no agent running
	b     *browser
	query string // the page's query: how it reaches the agent
}

func newScenario(t *testing.T, via string, running bool) *scenario {
	t.Helper()
	needChromium(t)
	s := &scenario{t: t, via: via, site: startSite(t)}
	home := newHome(t)
	port := deadPort(t)
	if running {
		s.agent = startAgent(t, []string{s.site.origin()}, home.relayKey())
		port = s.agent.port
	}
	// The websocket path takes "auto": with no extension, the client
	// falls back to the websocket after the ack timeout.
	s.query = "port=" + itoa(port)
	opts := browserOptions{}
	if via == "extension" {
		home.setUp(t, port)
		ext, err := filepath.Abs("../webext/extension")
		if err != nil {
			t.Fatal(err)
		}
		opts = browserOptions{userDataDir: home.chromiumProfile(), env: home.env(), extension: ext}
		s.query = "transport=extension" // no port: only the extension knows the way
	}
	s.b = newBrowser(t, opts)
	return s
}

// clickLogin opens the page on host and presses the button.
func (s *scenario) clickLogin(host string) {
	s.t.Helper()
	s.b.run("opening the page", chromedp.Navigate(s.site.url(host, s.query)), chromedp.WaitVisible(chromedp.ID("login")))
	s.b.screenshot("page")
	s.b.run("pressing the button", chromedp.Click(chromedp.ID("login")))
}

// outcome waits for the page to finish and returns the error code it
// shows ("" after a login) and the status text.
func (s *scenario) outcome(shot string) (code, text string) {
	s.t.Helper()
	s.b.run("waiting for the outcome",
		chromedp.WaitVisible(chromedp.CSS(`body[data-state="done"] #status, body[data-error] #status`)))
	s.b.screenshot(shot)
	return s.b.attr("body", "data-error"), s.b.text("#status")
}

func eachPath(t *testing.T, running bool, f func(t *testing.T, s *scenario)) {
	for _, via := range []string{"websocket", "extension"} {
		t.Run(via, func(t *testing.T) { f(t, newScenario(t, via, running)) })
	}
}

// The citizen logs in: the dialog names the site, the page greets them,
// and the site's server verified the token with package verify.
func TestLogin(t *testing.T) {
	eachPath(t, true, func(t *testing.T, s *scenario) {
		s.clickLogin("127.0.0.1")
		code, text := s.outcome("welcome")
		if code != "" || text != "Welcome, Marie Claire Dubois." {
			t.Fatalf("the page shows %q (error %q)", text, code)
		}
		logins, failure := s.site.verified()
		if !slices.Equal(logins, []string{"Marie Claire Dubois"}) {
			t.Errorf("the site verified %v (%s)", logins, failure)
		}
		if transport := s.b.attr("body", "data-transport"); transport != s.via {
			t.Errorf("the client used %q, want %q", transport, s.via)
		}
		q, _ := s.agent.question()
		if q.Origin != s.site.origin() || q.Kind != ui.KindPIN || q.Purpose != ui.PurposeAuthenticate {
			t.Errorf("the dialog asked %+v, want the PIN for %s", q, s.site.origin())
		}
		if a := s.agent.audit.String(); !strings.Contains(a, `"origin":"`+s.site.origin()+`"`) || !strings.Contains(a, `"outcome":"ok"`) {
			t.Errorf("audit log: %s", a)
		}
	})
}

// No agent: the page shows the install help with the site's link.
func TestAgentNotRunning(t *testing.T) {
	eachPath(t, false, func(t *testing.T, s *scenario) {
		s.clickLogin("127.0.0.1")
		code, text := s.outcome("install-help")
		s.b.run("waiting for the install help", chromedp.WaitVisible(chromedp.ID("install")))
		href := s.b.attr("#install-link", "href")
		if code != "AGENT_UNAVAILABLE" || href != installURL || !strings.Contains(text, "not running or not installed") {
			t.Errorf("the page shows %q (error %q, link %q)", text, code, href)
		}
	})
}

// The citizen presses Cancel in the dialog.
func TestUserCancels(t *testing.T) {
	eachPath(t, true, func(t *testing.T, s *scenario) {
		s.agent.answer("cancel")
		s.clickLogin("127.0.0.1")
		code, text := s.outcome("cancelled")
		if code != "USER_CANCELLED" || text != "The operation was cancelled." {
			t.Errorf("the page shows %q (error %q)", text, code)
		}
		if logins, _ := s.site.verified(); len(logins) != 0 {
			t.Errorf("logged in after a cancel: %v", logins)
		}
	})
}

// The card is pulled while the PIN dialog is open.
func TestCardRemovedDuringPIN(t *testing.T) {
	eachPath(t, true, func(t *testing.T, s *scenario) {
		s.agent.answer("hold")
		s.clickLogin("127.0.0.1")
		if q := s.agent.waitQuestion(t); q.Kind != ui.KindPIN {
			t.Fatalf("dialog %+v, want the PIN", q)
		}
		s.b.screenshot("pin-dialog-open")
		s.agent.cards.Remove(reader)
		code, text := s.outcome("card-removed")
		if code != "CARD_REMOVED" || !strings.Contains(text, "card was removed") {
			t.Errorf("the page shows %q (error %q)", text, code)
		}
	})
}

// A page whose origin is not allowed (localhost instead of 127.0.0.1)
// learns nothing more than "not available", no dialog opens, and the
// agent's log and audit log record the refusal.
func TestOriginNotAllowed(t *testing.T) {
	eachPath(t, true, func(t *testing.T, s *scenario) {
		s.clickLogin("localhost")
		code, _ := s.outcome("refused")
		if code != "AGENT_UNAVAILABLE" {
			t.Errorf("error %q, want AGENT_UNAVAILABLE", code)
		}
		if q, shown := s.agent.question(); shown {
			t.Errorf("a dialog was shown: %+v", q)
		}
		refused := "http://localhost:" + itoa(s.site.port)
		why := "origin is not in the allowlist"
		if s.via == "extension" {
			why = "relayed origin " + refused + " is not in the allowlist"
		}
		if a := s.agent.audit.String(); !strings.Contains(a, `"outcome":"REFUSED"`) || !strings.Contains(a, refused) {
			t.Errorf("audit log does not show the refusal of %s: %s", refused, a)
		}
		if l := s.agent.logs.String(); !strings.Contains(l, "refused a connection") || !strings.Contains(l, why) ||
			!strings.Contains(l, refused) {
			t.Errorf("the agent's log does not show the refusal of %s:\n%s", refused, l)
		}
	})
}
