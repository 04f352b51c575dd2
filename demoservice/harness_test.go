package demoservice

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rig is the service in front of a fake provider, and a browser.
type rig struct {
	t   *testing.T
	op  *fakeOP
	svc *Service
	srv *httptest.Server
	b   *browser
}

func newRig(t *testing.T) *rig {
	t.Helper()
	rg := &rig{t: t, op: newFakeOP(t)}
	rg.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rg.svc.ServeHTTP(w, r)
	}))
	t.Cleanup(rg.srv.Close)
	svc, err := New(Config{Issuer: rg.op.srv.URL, ClientID: rg.op.client, ClientSecret: rg.op.secret,
		Origin: rg.srv.URL, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	rg.svc = svc
	rg.b = rg.browser()
	return rg
}

// browser is a cookie jar that follows redirects or, with stop, does not.
type browser struct {
	t    *testing.T
	c    *http.Client
	base string
}

func (rg *rig) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: rg.t, base: rg.srv.URL, c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// stop makes the browser stay on redirects, to look at or change them.
func (b *browser) stop() *browser {
	c := *b.c
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: b.t, c: &c, base: b.base}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	r, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	return r, string(body)
}

// get fetches a path of the service, or an absolute URL.
func (b *browser) get(u string, hdr ...string) (*http.Response, string) {
	b.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = b.base + u
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return b.do(req)
}

func (b *browser) post(path string, vals url.Values, origin string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return b.do(req)
}

// login goes through the whole login as a browser does and returns the
// page it ends on.
func (rg *rig) login(path string) (*http.Response, string) {
	rg.t.Helper()
	return rg.b.get(path)
}

// toCallback starts a login without following it and returns the URL
// the provider sends the browser back to.
func (rg *rig) toCallback(b *browser, path string) *url.URL {
	rg.t.Helper()
	s := b.stop()
	r, _ := s.get(path)
	auth := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(auth, rg.op.srv.URL+"/authorize?") {
		rg.t.Fatalf("%s: %d to %q, want a redirect to the provider", path, r.StatusCode, auth)
	}
	r, _ = s.get(auth)
	back, err := url.Parse(r.Header.Get("Location"))
	if err != nil || back.Path != "/callback" {
		rg.t.Fatalf("the provider sent the browser to %q", r.Header.Get("Location"))
	}
	return back
}

func find(t *testing.T, re, page string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %s in the page:\n%s", re, page)
	}
	return m[1]
}

// wantText: the page, read as text, says each of want.
func wantText(t *testing.T, page string, want ...string) {
	t.Helper()
	page = html.UnescapeString(page)
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("the page does not say %q:\n%s", w, page)
		}
	}
}
