package browsertest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eidbridge/eidbridge/agent"
)

// The test site under https names outside the agent's allowlist; the
// browser resolves them to 127.0.0.1.
const (
	newSite   = "shop.example.test"
	otherSite = "other.example.test"
)

// startTLSSite serves the test site over https with a certificate for
// the two names, which the browser is told to accept.
func startTLSSite(t *testing.T) *site {
	t.Helper()
	return serveSite(t, &tls.Config{Certificates: []tls.Certificate{siteCert(t)}})
}

func siteCert(t *testing.T) tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: newSite},
		DNSNames: []string{newSite, otherSite}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// firstContactScenario is the https site, an agent that lets new sites
// ask, and Chromium, directly or through the extension.
func firstContactScenario(t *testing.T, via string) *scenario {
	t.Helper()
	needChromium(t)
	s := &scenario{t: t, via: via, site: startTLSSite(t)}
	home := newHome(t)
	fc, err := agent.NewFirstContact("")
	if err != nil {
		t.Fatal(err)
	}
	s.agent = startAgent(t, agent.DefaultOrigins, home.relayKey(), func(o *agent.Options) { o.FirstContact = fc })
	s.query = "transport=websocket&port=" + itoa(s.agent.port)
	opts := browserOptions{}
	if via == "extension" {
		home.setUp(t, s.agent.port)
		ext, err := filepath.Abs("../webext/extension")
		if err != nil {
			t.Fatal(err)
		}
		opts = browserOptions{userDataDir: home.chromiumProfile(), env: home.env(), extension: ext}
		s.query = "transport=extension"
	}
	opts.flags = map[string]any{"host-resolver-rules": "MAP *.example.test 127.0.0.1", "ignore-certificate-errors": true}
	s.b = newBrowser(t, opts)
	return s
}

// loginAt opens the page on https://host and logs in; it returns the
// page's error code ("" after a login).
func (s *scenario) loginAt(host string) string {
	s.t.Helper()
	url := "https://" + net.JoinHostPort(host, itoa(s.site.port)) + "/?" + s.query
	s.b.run("opening "+host, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("login")))
	s.b.run("pressing the button", chromedp.Click(chromedp.ID("login")))
	code, _ := s.outcome(strings.ReplaceAll(host, ".", "-"))
	return code
}

// A citizen meets an https site outside the allowlist in real Chromium:
// the agent's first-contact dialog comes before anything reaches the
// page; "this time" lets the login through, a "no" to another site is
// final and silences it without a second dialog.
func TestFirstContactInChromium(t *testing.T) {
	for _, via := range []string{"websocket", "extension"} {
		t.Run(via, func(t *testing.T) {
			s := firstContactScenario(t, via)
			if code := s.loginAt(newSite); code != "" {
				t.Fatalf("login at a new site after \"this time\": %s", code)
			}
			origin := "https://" + newSite + ":" + itoa(s.site.port)
			if !strings.Contains(s.agent.audit.String(), `"origin":"`+origin+`","operation":"firstContact","outcome":"once"`) {
				t.Errorf("no first-contact answer for %s in the audit log:\n%s", origin, s.agent.audit)
			}
			if names, why := s.site.verified(); len(names) != 1 {
				t.Errorf("the site verified %q (%s), want one login", names, why)
			}
			s.agent.answer("cancel")
			if code := s.loginAt(otherSite); code != "AGENT_UNAVAILABLE" {
				t.Errorf("after no: %q, want AGENT_UNAVAILABLE", code)
			}
			s.agent.answer("ok")
			if code := s.loginAt(otherSite); code != "AGENT_UNAVAILABLE" {
				t.Errorf("the refused site again: %q, want AGENT_UNAVAILABLE", code)
			}
			if n := strings.Count(s.agent.audit.String(), `"operation":"firstContact"`); n != 2 {
				t.Errorf("%d first-contact dialogs, want 2 (a refused site asked again):\n%s", n, s.agent.audit)
			}
		})
	}
}
