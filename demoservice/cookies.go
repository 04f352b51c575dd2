package demoservice

import (
	"crypto/rand"
	"crypto/subtle"
	"net/http"
)

// Cookie names carry the service's prefix: browsers keep cookies per host,
// not per port, so the portal on the same loopback address sees these and
// the service sees the portal's ("lang" among them).
const (
	loginCookie   = "demoservice_login"
	sessionCookie = "demoservice_session"
	langCookie    = "demoservice_lang"
)

// newID is an unguessable id: 130 random bits, as base32 text.
func newID() string { return rand.Text() }

func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// setCookie sets an HttpOnly, SameSite=Lax cookie; Lax, not Strict, since
// the provider's redirect back to /callback is a navigation from its site.
// maxAge < 0 deletes it; 0 keeps it for the browser's session.
func (s *Service) setCookie(w http.ResponseWriter, name, value, path string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure()})
}

// cookie is the named cookie's value, "" when there is none.
func cookie(r *http.Request, name string) string {
	if c, err := r.Cookie(name); err == nil {
		return c.Value
	}
	return ""
}
