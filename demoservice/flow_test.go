package demoservice

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// en is the English catalogue, to find the texts on pages.
func en(t *testing.T, key string, args ...any) string {
	t.Helper()
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	return cats["en"].T(key, args...)
}

// missingText is how catalog.T shows a key it does not know.
var missingText = regexp.MustCompile(`![a-z_]+\.[a-z]`)

// TestLoginWithToken: the whole login against the fake provider, PKCE
// S256 and client_secret_basic included; the page says who logged in and
// how.
func TestLoginWithToken(t *testing.T) {
	rg := newRig(t)
	r, page := rg.login("/login?lang=en")
	if r.StatusCode != http.StatusOK || r.Request.URL.Path != "/" {
		t.Fatalf("login ended on %s with %d:\n%s", r.Request.URL, r.StatusCode, page)
	}
	a := rg.op.lastAuth()
	for k, want := range map[string]string{"response_type": "code", "client_id": "demo-service", "scope": "openid profile",
		"code_challenge_method": "S256", "redirect_uri": rg.srv.URL + "/callback", "ui_locales": "en"} {
		if a.Get(k) != want {
			t.Errorf("authorization request: %s=%q, want %q", k, a.Get(k), want)
		}
	}
	if a.Get("acr_values") != "" || a.Get("nonce") == "" || a.Get("state") == "" {
		t.Errorf("authorization request: %v", a)
	}
	wantText(t, page, en(t, "me.title", "Lien Maes"), en(t, "me.how.token"), ACRToken, fakeSub,
		"pwd", "one-time code", `name="csrf"`)
	if !strings.Contains(page, en(t, "me.auth_time")) || missingText.MatchString(page) {
		t.Errorf("the page lacks the login time, or holds a missing text:\n%s", page)
	}
}

// TestLoginEIDOnly: the smaller button asks the provider for the eID;
// an answer that says another way of logging in is refused.
func TestLoginEIDOnly(t *testing.T) {
	rg := newRig(t)
	rg.op.set(func(op *fakeOP) { op.acr = ACRToken })
	r, page := rg.login("/login?eid=1&lang=en")
	if got := rg.op.lastAuth().Get("acr_values"); got != ACREID {
		t.Errorf("acr_values=%q, want %q", got, ACREID)
	}
	if r.StatusCode != http.StatusBadGateway {
		t.Errorf("a token login after asking for the eID: %d, want 502", r.StatusCode)
	}
	wantText(t, page, en(t, "err.acr"))
	rg.op.set(func(op *fakeOP) { op.acr = ACREID })
	_, page = rg.login("/login?eid=1")
	wantText(t, page, en(t, "me.how.eid"), ACREID, "sc", "smart card")
}

// TestLoginRefusesBadAnswers: a foreign nonce or a userinfo about
// somebody else ends the login with an error and no session.
func TestLoginRefusesBadAnswers(t *testing.T) {
	for name, f := range map[string]func(*fakeOP){
		"nonce":    func(op *fakeOP) { op.nonce = "someone-else's" },
		"userinfo": func(op *fakeOP) { op.infoSub = "another-citizen" },
		"secret":   func(op *fakeOP) { op.secret = "another" },
	} {
		t.Run(name, func(t *testing.T) {
			rg := newRig(t)
			rg.op.set(f)
			r, page := rg.login("/login?lang=en")
			if r.StatusCode != http.StatusBadGateway {
				t.Errorf("status %d, want 502", r.StatusCode)
			}
			wantText(t, page, en(t, "err.failed"))
			if rg.svc.sessions.len() != 0 {
				t.Error("a refused login left a session")
			}
		})
	}
}

// TestDiscoveryLazyAndRetried: the service starts while the provider is
// down, says so at a login, and logs in once the provider is up.
func TestDiscoveryLazyAndRetried(t *testing.T) {
	rg := newRig(t)
	rg.op.set(func(op *fakeOP) { op.down = true })
	r, page := rg.login("/login?lang=en")
	if r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("login with the provider down: %d, want 503", r.StatusCode)
	}
	wantText(t, page, en(t, "err.unavailable"))
	rg.op.set(func(op *fakeOP) { op.down = false })
	now := rg.svc.now()
	rg.svc.now = func() time.Time { return now.Add(retryAfter) }
	if r, page = rg.login("/login"); r.Request.URL.Path != "/" || !strings.Contains(page, fakeSub) {
		t.Errorf("login once the provider is up ended on %s:\n%s", r.Request.URL, page)
	}
}
