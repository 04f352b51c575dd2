package browsertest

import (
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eidbridge/eidbridge/agent/ui"
)

// webeidScenario is a page written for web-eid.js's message protocol
// (testdata/webeid/page) in Chromium with our extension, which reaches
// the agent through eidbridge nm-host.
type webeidScenario struct {
	t     *testing.T
	site  *site
	agent *agentEnv
	b     *browser
}

// newWebEIDScenario runs the site, an agent over the virtual card that
// allows exactly the site, and Chromium; with other, a second extension
// that answers web-eid: messages too is loaded beside ours.
func newWebEIDScenario(t *testing.T, other bool) *webeidScenario {
	t.Helper()
	needChromium(t)
	s := &webeidScenario{t: t, site: startWebEIDSite(t)}
	home := newHome(t)
	s.agent = startAgent(t, []string{s.site.origin()}, home.relayKey())
	s.b = newBrowser(t, webeidBrowser(t, home, s.agent.port, other))
	return s
}

// startWebEIDSite is the test site (site.go's nonces and token checks)
// with the Web eID page under /webeid/.
func startWebEIDSite(t *testing.T) *site {
	t.Helper()
	s := &site{nonces: map[string]bool{}}
	s.roots, s.inter = fixtureTrust(t)
	mux := s.mux()
	mux.Handle("GET /webeid/", http.StripPrefix("/webeid/", http.FileServer(http.Dir("testdata/webeid/page"))))
	ln := listen(t)
	s.port = ln.Addr().(*net.TCPAddr).Port
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// webeidBrowser installs the native host in home for the agent on port
// and loads our extension, and with other the second responder.
func webeidBrowser(t *testing.T, home *userHome, port int, other bool) browserOptions {
	t.Helper()
	home.setUp(t, port)
	dirs := []string{"../webext/extension"}
	if other {
		dirs = append(dirs, "testdata/webeid/other-extension")
	}
	for i, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			t.Fatal(err)
		}
		dirs[i] = abs
	}
	// Chromium takes a comma-separated list of unpacked extensions.
	return browserOptions{userDataDir: home.chromiumProfile(), env: home.env(), extension: strings.Join(dirs, ",")}
}

// open loads the page from host: 127.0.0.1 (allowed) or localhost (not).
func (s *webeidScenario) open(host string) {
	s.t.Helper()
	url := "http://" + net.JoinHostPort(host, itoa(s.site.port)) + "/webeid/"
	s.b.run("opening the Web eID page", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1")))
}

// webeidAnswer is what the page's send() resolves to; login adds the
// citizen the site's server verified.
type webeidAnswer struct {
	OK          bool           `json:"ok"`
	Reply       map[string]any `json:"reply"`
	Error       webeidError    `json:"error"`
	AckDelay    *float64       `json:"ackDelay"`
	Name        string         `json:"name"`
	ServerError string         `json:"serverError"`
}

type webeidError struct {
	Code          string `json:"code"`
	Message       string `json:"message"`
	EidbridgeCode string `json:"eidbridgeCode"`
}

// call runs a webeidPage function, a JavaScript expression, and waits
// for its answer.
func (s *webeidScenario) call(what, expr string) webeidAnswer {
	s.t.Helper()
	return get(s.b, what, chromedp.Evaluate[webeidAnswer]("webeidPage."+expr, chromedp.EvalAwaitPromise))
}

// wantSuccess checks that a answers action with exactly fields, after an
// ack within web-eid.js's 1 s handshake, and decodes the reply into v.
func wantSuccess(t *testing.T, action string, a webeidAnswer, v any, fields ...string) {
	t.Helper()
	if !a.OK {
		t.Fatalf("%s failed: %+v", action, a.Error)
	}
	if a.AckDelay == nil || *a.AckDelay > 1000 {
		t.Errorf("%s: ack after %v ms, web-eid.js waits 1000", action, a.AckDelay)
	}
	var keys []string
	for k := range a.Reply {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := append([]string{"action"}, fields...)
	slices.Sort(want)
	if !slices.Equal(keys, want) || a.Reply["action"] != action+"-success" {
		t.Errorf("%s answered %v, want the fields %v", action, a.Reply, want)
	}
	b, _ := json.Marshal(a.Reply)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// wantFailure checks the Web eID code of a failed answer and our own code beside it.
func wantFailure(t *testing.T, what string, a webeidAnswer, code, ours string) {
	t.Helper()
	if a.OK || a.Error.Code != code || a.Error.EidbridgeCode != ours {
		t.Errorf("%s: ok %v, error %+v, want %s (%s)", what, a.OK, a.Error, code, ours)
	}
}

var semver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// semverMajor is v's major version, -1 when v is not SemVer.
func semverMajor(v string) int {
	m := semver.FindStringSubmatch(v)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// wantStatus checks the status versions web-eid.js's compatibility check
// reads: SemVer, and no major behind the library's.
func (s *webeidScenario) wantStatus() {
	s.t.Helper()
	var st struct{ Library, Extension, NativeApp string }
	wantSuccess(s.t, "web-eid:status", s.call("status", "status()"), &st, "library", "extension", "nativeApp")
	for _, v := range []string{st.Library, st.Extension, st.NativeApp} {
		if semverMajor(v) < 2 {
			s.t.Errorf("status %+v: %q is not a SemVer version of major 2 or more", st, v)
		}
	}
}

// login authenticates with the page's lang option and checks that the
// site's server verified the citizen and that the dialog named the site
// in that language.
func (s *webeidScenario) login(lang string) {
	s.t.Helper()
	var tok struct{ Format string }
	a := s.call("authenticate", `login({lang: "`+lang+`"})`)
	wantSuccess(s.t, "web-eid:authenticate", a, &tok, "unverifiedCertificate", "algorithm", "signature", "format", "appVersion")
	if a.Name != "Marie Claire Dubois" {
		s.t.Errorf("the site's server verified %q (%s); token format %q", a.Name, a.ServerError, tok.Format)
	}
	s.wantDialog(ui.PurposeAuthenticate, lang)
}

// wantDialog checks the agent's last dialog: the site, the purpose, the language.
func (s *webeidScenario) wantDialog(purpose ui.Purpose, lang string) {
	s.t.Helper()
	q, shown := s.agent.question()
	if !shown || q.Origin != s.site.origin() || q.Purpose != purpose || q.Lang != lang {
		s.t.Errorf("the agent's dialog: %+v (shown %v), want %s for %s in %s", q, shown, purpose, s.site.origin(), lang)
	}
}

// A page written for web-eid.js, with our extension alone: status,
// authenticate (verified by the site's server with package verify), the
// signing certificate and a signature, through the agent's dialogs in the
// page's language (options.lang, else <html lang="fr">).
func TestWebEIDPageProtocol(t *testing.T) {
	s := newWebEIDScenario(t, false)
	s.open("127.0.0.1")
	s.wantStatus()
	s.login("de")
	s.signDocument("nl")
	s.b.screenshot("webeid-done")
}

// With a second extension that also answers web-eid: messages (as the
// official Web eID extension does), ours stands down: one answer per
// request, the other's, and the agent shows no dialog and starts nothing.
func TestWebEIDWithAnotherExtension(t *testing.T) {
	s := newWebEIDScenario(t, true)
	s.open("127.0.0.1")
	var st struct{ Extension string }
	wantSuccess(t, "web-eid:status", s.call("status", "status()"), &st, "library", "extension", "nativeApp")
	if st.Extension != "2.9.0+other" {
		t.Errorf("status answered by extension %q, want the other one", st.Extension)
	}
	a := s.call("authenticate", "login()")
	if a.OK || a.Error.Message != "answered by the other extension" {
		t.Errorf("authenticate: %+v, want the other extension's answer", a)
	}
	time.Sleep(600 * time.Millisecond) // past our stand-down window: a second answer would be here
	if n := get(s.b, "counting the answers", chromedp.Evaluate[int]("webeidPage.answers.length")); n != 2 {
		t.Errorf("the page got %d answers to its 2 requests", n)
	}
	if q, shown := s.agent.question(); shown {
		t.Errorf("the agent showed a dialog too: %+v", q)
	}
	if l := s.agent.logs.String(); strings.Contains(l, "relay proved itself") || s.agent.audit.String() != "" {
		t.Errorf("our extension reached the agent:\n%s\naudit: %s", l, s.agent.audit)
	}
}
