package portal

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// The mailbox shows everybody's codes: it exists only for the demo on a
// loopback origin without SMTP; New refuses it anywhere else.
func TestMailboxOnlyForTheDemo(t *testing.T) {
	c := newEnv(t, "citizen-1.8").cfg
	for name, mod := range map[string]func(*Config){
		"public origin": func(c *Config) { c.Origin = "https://token.belgium.be" },
		"with SMTP":     func(c *Config) { c.SMTP = &SMTP{Addr: "127.0.0.1:25", From: "portal@example.be"} },
	} {
		cfg := c
		cfg.DataDir, cfg.Mailbox = t.TempDir(), true
		mod(&cfg)
		if p, err := New(cfg); err == nil || !strings.Contains(err.Error(), "mailbox") {
			if p != nil {
				p.Close()
			}
			t.Errorf("%s: New with the mailbox: %v, want a refusal", name, err)
		}
	}
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.Mailbox = false })
	if r := e.browser().get("/mailbox"); r.status != http.StatusNotFound {
		t.Errorf("a portal that is no demo serves its mailbox: %d", r.status)
	}
}

// Behind a reverse proxy on the same host every client used to look
// local (the mailbox served to the internet, one rate-limit bucket for
// all). With the proxy configured, the client is the forwarded address;
// from anyone else the header is ignored.
func TestClientBehindTrustedProxy(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		c.LoginRate, c.LoginBurst = 0.001, 2
	})
	viaProxy := func(client string) *browser {
		b := e.browser()
		b.c.Transport = forwardedFor{client, b.c.Transport}
		return b
	}
	if r := viaProxy("203.0.113.9").get("/mailbox"); r.status != http.StatusNotFound {
		t.Errorf("the mailbox through the proxy for an internet client: %d", r.status)
	}
	a, b := viaProxy("203.0.113.9"), viaProxy("198.51.100.4")
	for range 3 {
		a.submit("/login", "/login", url.Values{"username": {"x"}, "password": {"y"}})
	}
	if r := a.submit("/login", "/login", url.Values{"username": {"x"}, "password": {"y"}}); r.status != http.StatusTooManyRequests {
		t.Errorf("one forwarded client past its burst: %d", r.status)
	}
	if r := b.submit("/login", "/login", url.Values{"username": {"x"}, "password": {"y"}}); r.status == http.StatusTooManyRequests {
		t.Error("another forwarded client shares the first one's bucket")
	}
	direct := newEnv(t, "citizen-1.8")
	if ip := direct.p.clientIP(forgedXFF(t)); ip != "127.0.0.1" {
		t.Errorf("X-Forwarded-For from a client that is no proxy chose the address %s", ip)
	}
}

func forgedXFF(t *testing.T) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	return r
}

type forwardedFor struct {
	client string
	rt     http.RoundTripper
}

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", "10.9.9.9, "+f.client) // what the client sent, then what the proxy saw
	return f.rt.RoundTrip(r)
}

// A DNS-rebinding page names its own host: a page request is sent to the
// portal's origin, anything else refused (421).
func TestRequestsForAnotherHost(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	b := e.browser()
	b.c.Transport = hostAs{"rebound.example:443", b.c.Transport}
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r := b.get("/mailbox")
	if r.status != http.StatusPermanentRedirect || r.header.Get("Location") != e.srv.URL+"/mailbox" {
		t.Errorf("GET for another host: %d %q", r.status, r.header.Get("Location"))
	}
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader("username=x"))
	if r := b.do(req); r.status != http.StatusMisdirectedRequest {
		t.Errorf("POST for another host: %d", r.status)
	}
}
