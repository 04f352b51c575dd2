package demoservice

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestLogoutNeedsCSRF: a post without the page's token, or from another
// site's form, keeps the citizen logged in; the page's form logs out here
// and sends the browser to the provider's end_session.
func TestLogoutNeedsCSRF(t *testing.T) {
	rg := newRig(t)
	_, page := rg.login("/login?lang=en")
	csrf := find(t, `name="csrf" value="([^"]+)"`, page)
	s := rg.b.stop()
	for name, c := range map[string]struct {
		vals   url.Values
		origin string
	}{
		"no token":     {url.Values{}, rg.srv.URL},
		"wrong token":  {url.Values{"csrf": {"X" + csrf}}, rg.srv.URL},
		"another site": {url.Values{"csrf": {csrf}}, "https://evil.example"},
	} {
		r, page := s.post("/logout", c.vals, c.origin)
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, r.StatusCode)
		}
		wantText(t, page, en(t, "err.logout.title"), en(t, "err.csrf"))
	}
	if _, page = rg.b.get("/"); !strings.Contains(page, fakeSub) {
		t.Fatal("a refused logout logged the citizen out")
	}
	r, _ := s.post("/logout", url.Values{"csrf": {csrf}}, rg.srv.URL)
	end, _ := url.Parse(r.Header.Get("Location"))
	if r.StatusCode != http.StatusSeeOther || end.Scheme+"://"+end.Host+end.Path != rg.op.srv.URL+"/end_session" {
		t.Fatalf("logout: %d to %q, want the provider's end_session", r.StatusCode, end)
	}
	q := end.Query()
	if q.Get("post_logout_redirect_uri") != rg.srv.URL+"/" || strings.Count(q.Get("id_token_hint"), ".") != 2 {
		t.Errorf("end_session parameters: %v", q)
	}
	if _, page = rg.b.get("/?lang=en"); strings.Contains(page, fakeSub) || !strings.Contains(page, en(t, "home.login")) {
		t.Errorf("still logged in after the logout:\n%s", page)
	}
	if rg.svc.sessions.len() != 0 {
		t.Error("the session is still kept after the logout")
	}
}
