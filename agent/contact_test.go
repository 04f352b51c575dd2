package agent_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

// contactEnv is an agent that lets new sites ask, with its answers in a
// file, on a clock the test moves.
func contactEnv(t *testing.T, u *scriptUI, tweaks ...setup) (*env, string, *atomicTime) {
	t.Helper()
	path := filepath.Join(t.TempDir(), agent.SitesFile)
	fc, err := agent.NewFirstContact(path)
	if err != nil {
		t.Fatal(err)
	}
	clk := &atomicTime{}
	clk.set(time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC))
	tweaks = append(tweaks, withClock(clk), func(o *agent.Options) { o.FirstContact = fc })
	e := start(t, "citizen-1.8", u, tweaks...)
	return e, path, clk
}

// tryDial is a page's handshake that may be refused; it reports whether
// it connected, and a refusal must look like a closed port (no HTTP
// answer).
func (e *env) tryDial(origin string) bool {
	e.t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(e.url, http.Header{"Origin": {origin}})
	if err != nil {
		if resp != nil {
			e.t.Errorf("%s: refused with an HTTP answer %s", origin, resp.Status)
		}
		return false
	}
	ws.Close()
	return true
}

// siteQuestions are the first-contact questions asked so far.
func siteQuestions(u *scriptUI) []ui.Question {
	var qs []ui.Question
	for _, q := range u.questions() {
		if q.Kind == ui.KindSite {
			qs = append(qs, q)
		}
	}
	return qs
}

func TestFirstContactOnceAllowsForTenMinutes(t *testing.T) {
	u := newScriptUI(once(), pin("1234"))
	e, path, clk := contactEnv(t, u)
	const site = "https://shop.example.com"
	c := e.dial(site) // the handshake waits for the dialog
	var tok agent.AuthToken
	c.ok("authenticate", map[string]any{"challengeNonce": testNonce}, &tok)
	checkTokenVerify(t, tok, "citizen-1.8", site, testNonce)
	qs := siteQuestions(u)
	if len(qs) != 1 || qs[0].Origin != site || qs[0].Lang != "en" {
		t.Fatalf("site questions %+v, want one for %s", qs, site)
	}
	clk.add(9 * time.Minute)
	if !e.tryDial(site) || len(siteQuestions(u)) != 1 {
		t.Error("the site was asked about again within ten minutes of \"this time\"")
	}
	answers, err := agent.LoadSiteAnswers(path)
	if err != nil || len(answers.Always)+len(answers.No) != 0 {
		t.Errorf("\"this time\" was written down: %+v, %v", answers, err)
	}
	clk.add(2 * time.Minute)
	u.add(cancel())
	if e.tryDial(site) || len(siteQuestions(u)) != 2 {
		t.Error("after ten minutes the site was not asked about again")
	}
	if !containsAll(e.audit.String(), `"operation":"firstContact","outcome":"once"`, `"outcome":"no"`) {
		t.Errorf("audit log: %s", e.audit)
	}
}

func TestFirstContactAlwaysIsKeptAndForgotten(t *testing.T) {
	u := newScriptUI(always())
	e, path, clk := contactEnv(t, u)
	const site = "https://shop.example.com:8443"
	if !e.tryDial(site) {
		t.Fatal("refused after \"always\"")
	}
	clk.add(30 * 24 * time.Hour)
	if !e.tryDial(site) || len(siteQuestions(u)) != 1 {
		t.Error("\"always\" did not last")
	}
	if e.tryDial("https://other.example.com:8443") {
		t.Error("\"always\" for one origin let another of the same site in")
	}
	answers, err := agent.LoadSiteAnswers(path)
	if _, ok := answers.Always[site]; err != nil || !ok {
		t.Fatalf("answers file %+v, %v; want %s always", answers, err, site)
	}
	// `eidbridge origins forget` edits the file; the running agent follows.
	answers.Forget(site)
	if err := answers.Save(path); err != nil {
		t.Fatal(err)
	}
	clk.add(24 * time.Hour) // past the quiet time of the refused dialog above
	if e.tryDial(site) {
		t.Error("a forgotten site still connects")
	}
}

func TestFirstContactNoSilencesTheWholeSiteForADay(t *testing.T) {
	u := newScriptUI(cancel())
	e, path, clk := contactEnv(t, u)
	if e.tryDial("https://a.nagging.example.com") {
		t.Fatal("connected after no")
	}
	for _, o := range []string{"https://a.nagging.example.com", "https://b.nagging.example.com", "https://nagging.example.com:444"} {
		if e.tryDial(o) {
			t.Errorf("%s connected after no", o)
		}
	}
	if n := len(siteQuestions(u)); n != 1 {
		t.Errorf("%d dialogs, want 1: a site that heard no asked again", n)
	}
	if answers, _ := agent.LoadSiteAnswers(path); answers.No["example.com"].IsZero() && answers.No["nagging.example.com"].IsZero() {
		t.Errorf("the no is not kept for the site: %+v", answers)
	}
	clk.add(24*time.Hour + time.Second)
	u.add(once())
	if !e.tryDial("https://b.nagging.example.com") {
		t.Error("a day later the site could not ask again")
	}
}

// A dialog left unanswered keeps the site quiet for ten minutes, then
// twenty: a page cannot bring it back as soon as it goes away.
func TestFirstContactUnansweredBacksOff(t *testing.T) {
	u := newScriptUI(hang(), hang())
	e, _, clk := contactEnv(t, u, func(o *agent.Options) { o.UserTimeout = 200 * time.Millisecond })
	const site = "https://slow.example.org"
	if e.tryDial(site) {
		t.Fatal("connected without an answer")
	}
	for _, wait := range []time.Duration{9 * time.Minute, 2 * time.Minute, 19 * time.Minute} {
		clk.add(wait)
		e.tryDial(site)
	}
	if n := len(siteQuestions(u)); n != 2 {
		t.Errorf("%d dialogs after 0, 9, 11 and 30 minutes; want 2 (at 0 and 11)", n)
	}
}

// At most three dialogs in ten minutes in all, whatever the sites.
func TestFirstContactBudget(t *testing.T) {
	u := newScriptUI(cancel(), cancel(), cancel(), cancel())
	e, _, clk := contactEnv(t, u)
	for _, host := range []string{"one.test1.com", "two.test2.com", "three.test3.com", "four.test4.com", "five.test5.com"} {
		e.tryDial("https://" + host)
	}
	if n := len(siteQuestions(u)); n != 3 {
		t.Errorf("%d dialogs for five new sites at once, want 3", n)
	}
	clk.add(10 * time.Minute)
	e.tryDial("https://six.test6.com")
	if n := len(siteQuestions(u)); n != 4 {
		t.Errorf("%d dialogs ten minutes later, want 4", n)
	}
}

// http, loopback, IP-address, public-suffix and malformed origins never
// ask: they are refused as before, with no dialog.
func TestFirstContactOnlyForHTTPSSites(t *testing.T) {
	u := newScriptUI(once(), once(), once(), once(), once(), once(), once())
	e, _, _ := contactEnv(t, u)
	for _, o := range []string{"http://shop.example.com", "https://127.0.0.2", "https://[::2]:8443", "https://localhost:9443",
		"https://github.io", "https://co.uk", "null", "https://shop.example.com/path", "https://sh\u00f6p.example.com"} {
		if e.tryDial(o) {
			t.Errorf("%q connected", o)
		}
	}
	if qs := siteQuestions(u); len(qs) != 0 {
		t.Errorf("dialogs for origins that may not ask: %+v", qs)
	}
}

// One dialog on screen at a time: a site's first contact while another
// dialog is open gets no dialog of its own, and is not held against it.
func TestFirstContactWaitsForTheOtherDialog(t *testing.T) {
	u := newScriptUI(hang())
	e, _, _ := contactEnv(t, u)
	c := e.dial(testOrigin)
	id := c.send("authenticate", map[string]any{"challengeNonce": testNonce})
	<-u.askedC // the consent dialog is up
	if e.tryDial("https://shop.example.com") {
		t.Fatal("connected while another dialog was open")
	}
	c.send("cancel", map[string]any{"id": id})
	c.next()
	c.next()
	u.add(once())
	if !e.tryDial("https://shop.example.com") {
		t.Error("the site was held to a dialog it never had")
	}
}

// Through the extension's relay the agent says it is asking, then its
// verdict: the relay waits past its usual time-out and the extension
// hears "refused" only for a real no.
func TestFirstContactThroughTheRelay(t *testing.T) {
	u := newScriptUI(answer{site: ui.AnswerOnce, before: func() { time.Sleep(6 * time.Second) }}, cancel())
	path := filepath.Join(t.TempDir(), agent.RelayKeyFile)
	key, err := agent.EnsureRelayKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, _ := agent.NewFirstContact("")
	e := start(t, "citizen-1.8", u, func(o *agent.Options) { o.RelayKeyFile, o.FirstContact = path, fc })
	c := e.relay(key, "https://shop.example.com") // allowed after more than the relay's 5 s
	var v map[string]any
	c.ok("version", nil, &v)
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	if _, err := agent.DialRelay(ctx, e.port, key, "https://other.example.net"); !errors.Is(err, agent.ErrOriginRefused) {
		t.Errorf("after no: %v, want ErrOriginRefused", err)
	}
	if n := len(siteQuestions(u)); n != 2 {
		t.Errorf("%d site dialogs, want 2", n)
	}
	if strings.Contains(e.logs.String(), "malformed verdict") {
		t.Errorf("the relay did not understand the agent: %s", e.logs)
	}
}

// A hand-edited answers file may hold only what the agent writes: one
// canonical https origin per "always", one registrable domain per "no".
func TestSiteAnswersFileIsChecked(t *testing.T) {
	dir := t.TempDir()
	for _, body := range []string{
		`{"always":{"https://*.example.com":"2026-12-06T10:00:00Z"}}`,
		`{"always":{"http://shop.example.com":"2026-12-06T10:00:00Z"}}`,
		`{"always":{"HTTPS://Shop.Example.com":"2026-12-06T10:00:00Z"}}`,
		`{"always":{"https://shop.example.com/":"2026-12-06T10:00:00Z"}}`,
		`{"no":{"a.example.com":"2026-12-06T10:00:00Z"}}`,
		`{"no":{"com":"2026-12-06T10:00:00Z"}}`,
		`{"always":[]}`,
		`{`,
	} {
		path := filepath.Join(dir, agent.SitesFile)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := agent.NewFirstContact(path); err == nil {
			t.Errorf("%s: accepted", body)
		}
	}
	path := filepath.Join(dir, agent.SitesFile)
	os.WriteFile(path, []byte(`{"always":{"https://shop.example.com":"2026-12-06T10:00:00Z"},"no":{"example.net":"2026-12-07T10:00:00Z"}}`), 0o600)
	if _, err := agent.NewFirstContact(path); err != nil {
		t.Errorf("a good file: %v", err)
	}
	os.Chmod(path, 0o622)
	if _, err := agent.NewFirstContact(path); err == nil {
		t.Error("a file others may write was used")
	}
}
