package demoservice

import (
	"net/http"
	"net/url"
	"strings"
)

// headers are set on every response. The pages need no script at all, so
// the CSP allows none; only the service's own style sheet loads. The
// logout form's redirect goes on to the provider, and browsers apply
// form-action to a form's redirects too, so the provider is allowed there.
func (s *Service) headers(h http.Header) {
	csp := strings.Join([]string{
		"default-src 'none'",
		"style-src 'self'",
		"img-src 'self'",
		"form-action 'self' " + origin(s.cfg.Issuer),
		"frame-ancestors 'none'",
		"base-uri 'none'",
	}, "; ")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: with no-referrer Chromium sends
	// "Origin: null" on form posts, which the logout's origin check refuses.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure() {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// origin is scheme://host[:port] of a URL that Config.check accepted.
func origin(raw string) string {
	u, _ := url.Parse(raw)
	return u.Scheme + "://" + u.Host
}

// sameOrigin refuses a post whose Origin header names another site: a
// second line behind the CSRF token.
func (s *Service) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	return o == "" || o == s.cfg.Origin
}
