package portal

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// policyMember is one feature of a Permissions-Policy turned off for
// every origin: a structured-field dictionary member with an empty list.
var policyMember = regexp.MustCompile(`^[a-z][a-z0-9-]*=\(\)$`)

// headerCase is one kind of response the portal makes.
type headerCase struct {
	name, method, path string
	header             map[string]string
	status             int
}

func portalResponses(csrf string) []headerCase {
	return []headerCase{
		{"page", "GET", "/", nil, http.StatusOK},
		{"page with a form", "GET", "/request", nil, http.StatusOK},
		{"static file", "GET", "/static/style.css", nil, http.StatusOK},
		{"the JavaScript client", "GET", "/static/eidbridge/eidbridge.js", nil, http.StatusOK},
		{"missing static file", "GET", "/static/nothing.css", nil, http.StatusNotFound},
		{"error page", "GET", "/nowhere", nil, http.StatusNotFound},
		{"redirect", "GET", "/request/sent", nil, http.StatusSeeOther},
		{"JSON", "POST", "/request/challenge", map[string]string{csrfHeader: csrf}, http.StatusOK},
		{"JSON error", "POST", "/request/verify", map[string]string{csrfHeader: csrf, "Content-Type": "application/json"}, http.StatusBadRequest},
		{"refused post", "POST", "/login", nil, http.StatusForbidden},
		{"another method", "PUT", "/login", nil, http.StatusNotFound},
		{"mailbox (its own CSP)", "GET", "/mailbox", nil, http.StatusOK},
		{"HEAD", "HEAD", "/", nil, http.StatusOK},
	}
}

// fetchAll makes each kind of response with b's session, redirects not
// followed, and hands over its headers.
func fetchAll(t *testing.T, e *env, b *browser, check func(c headerCase, h http.Header)) {
	t.Helper()
	b.get("/request")
	cases := portalResponses(b.csrf())
	c := *b.c
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, hc := range cases {
		req, _ := http.NewRequest(hc.method, e.srv.URL+hc.path, strings.NewReader("{"))
		for k, v := range hc.header {
			req.Header.Set(k, v)
		}
		r, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", hc.name, err)
		}
		r.Body.Close()
		if r.StatusCode != hc.status {
			t.Errorf("%s: %s %s answered %d, want %d", hc.name, hc.method, hc.path, r.StatusCode, hc.status)
		}
		check(hc, r.Header)
	}
}

// Every kind of response carries the security headers; HSTS with
// includeSubDomains, since the test portal's origin is https.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	if !strings.HasPrefix(e.p.Origin(), "https://") {
		t.Fatalf("the test portal's origin %s is not https", e.p.Origin())
	}
	fetchAll(t, e, e.browser(), func(c headerCase, h http.Header) {
		want := map[string]string{
			"Strict-Transport-Security":  "max-age=31536000; includeSubDomains",
			"Cross-Origin-Opener-Policy": "same-origin",
			"Permissions-Policy":         permissionsPolicy,
			"X-Content-Type-Options":     "nosniff",
			"X-Frame-Options":            "DENY",
			"Referrer-Policy":            "same-origin",
		}
		for k, v := range want {
			if got := h.Values(k); len(got) != 1 || got[0] != v {
				t.Errorf("%s: %s is %q, want %q", c.name, k, got, v)
			}
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", c.name, h.Get("Content-Security-Policy"))
		}
	})
}

// A portal on http (the demo, on loopback) sends no HSTS, but the rest.
func TestNoHSTSOnHTTP(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.Origin = "http://127.0.0.1:8443" })
	b := e.browser()
	b.c.Transport = hostAs{"127.0.0.1:8443", b.c.Transport} // as a browser at that origin names it
	fetchAll(t, e, b, func(c headerCase, h http.Header) {
		if got := h.Values("Strict-Transport-Security"); len(got) != 0 {
			t.Errorf("%s: HSTS %q on an http portal", c.name, got)
		}
		if h.Get("Cross-Origin-Opener-Policy") != "same-origin" || h.Get("Permissions-Policy") != permissionsPolicy {
			t.Errorf("%s: COOP %q, Permissions-Policy %q", c.name, h.Get("Cross-Origin-Opener-Policy"), h.Get("Permissions-Policy"))
		}
	})
}

// The Permissions-Policy is valid syntax, turns off the powerful features
// the portal never uses, and leaves alone the local network access that
// the request page needs to reach the agent.
func TestPermissionsPolicy(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range strings.Split(permissionsPolicy, ", ") {
		if !policyMember.MatchString(m) {
			t.Errorf("member %q is not feature=()", m)
		}
		name, _, _ := strings.Cut(m, "=")
		if seen[name] {
			t.Errorf("%s twice", name)
		}
		seen[name] = true
	}
	for _, f := range []string{"camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "display-capture"} {
		if !seen[f] {
			t.Errorf("%s is not turned off", f)
		}
	}
	for _, f := range []string{"local-network-access", "local-network", "loopback-network"} {
		if seen[f] {
			t.Errorf("%s is turned off: the page could not reach the agent", f)
		}
	}
}

// hostAs sends every request with the given Host header.
type hostAs struct {
	host string
	rt   http.RoundTripper
}

func (h hostAs) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Host = h.host
	return h.rt.RoundTrip(r)
}
