package portal

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent/agenttest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func (c *clock) addDate(y, m, d int) { c.mu.Lock(); c.t = c.t.AddDate(y, m, d); c.mu.Unlock() }

// env is a portal behind an httptest TLS server whose URL is its origin.
type env struct {
	t     testing.TB
	trust string // the fixture whose PKI the portal trusts; its holder is the desk officer
	p     *Portal
	srv   *httptest.Server
	clock *clock
	cfg   Config
	logs  *agenttest.Buffer // the portal's log
}

// newEnv starts a portal trusting the PKI of the card named trust.
func newEnv(t testing.TB, trust string, mod ...func(*Config)) *env {
	t.Helper()
	c := loadCard(t, trust)
	e := &env{t: t, trust: trust, clock: &clock{t: c.validNow()}, logs: &agenttest.Buffer{}}
	e.srv = httptest.NewUnstartedServer(nil)
	e.srv.StartTLS()
	t.Cleanup(e.srv.Close)
	e.cfg = Config{DataDir: t.TempDir(), Database: suiteDatabase(t), Origin: e.srv.URL, Roots: c.roots, Intermediates: c.inter,
		LoginRate: 1000, LoginBurst: 1000, SweepInterval: -1, LetterInterval: -1, Clock: e.clock.now, Mailbox: true,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	for _, m := range mod {
		m(&e.cfg)
	}
	e.cfg.Mailbox = e.cfg.Mailbox && e.cfg.SMTP == nil // the demo's mailbox, where it may be
	e.start()
	return e
}

// start (re)opens the portal on the env's data directory.
func (e *env) start() {
	p, err := New(e.cfg)
	if err != nil {
		e.t.Fatalf("New: %v", err)
	}
	e.p = p
	e.srv.Config.Handler = p
	e.t.Cleanup(func() { p.Close() })
}

// browser is one cookie jar talking to the portal.
type browser struct {
	t    testing.TB
	e    *env
	c    *http.Client
	last string // body of the last response
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := e.srv.Client()
	cc := *c
	cc.Jar = jar
	return &browser{t: e.t, e: e, c: &cc}
}

// resp is a response with its body read and the final URL.
type resp struct {
	status int
	body   string
	path   string
	header http.Header
}

func (b *browser) do(req *http.Request) resp {
	b.t.Helper()
	r, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	b.last = string(body)
	return resp{status: r.StatusCode, body: string(body), path: r.Request.URL.Path, header: r.Header}
}

func (b *browser) get(path string) resp {
	req, _ := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	return b.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"|data-csrf="([^"]+)"`)

// csrf is the token in the last page.
func (b *browser) csrf() string {
	m := csrfRE.FindStringSubmatch(b.last)
	if m == nil {
		b.t.Fatalf("no CSRF token in page:\n%s", b.last)
	}
	return m[1] + m[2]
}

// submit loads page, then posts vals (with the page's CSRF token) to action.
func (b *browser) submit(page, action string, vals url.Values) resp {
	b.t.Helper()
	b.get(page)
	vals.Set("csrf", b.csrf())
	return b.post(action, vals)
}

func (b *browser) post(action string, vals url.Values) resp {
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+action, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// postJSON posts v as the page's script does, with csrf in the header.
func (b *browser) postJSON(path, csrf string, v any) (resp, map[string]string) {
	b.t.Helper()
	body, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if csrf != "" {
		req.Header.Set(csrfHeader, csrf)
	}
	r := b.do(req)
	m := map[string]string{}
	json.Unmarshal([]byte(r.body), &m)
	return r, m
}

// shows reports whether the page holds the Dutch text (the default) of a
// message without arguments.
func (b *browser) shows(r resp, key string) bool { return b.showsIn(r, "nl", key) }

// showsIn reports whether the page holds the message in language lang.
func (b *browser) showsIn(r resp, lang, key string) bool {
	return strings.Contains(html.UnescapeString(r.body), b.e.p.cats[lang].T(key))
}
