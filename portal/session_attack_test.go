package portal

import (
	"net/url"
	"strings"
	"testing"
)

// loggedIn logs user1 in with a fresh browser and checks it reached /me.
func loggedIn(t *testing.T, e *env, codes map[int]string) *browser {
	t.Helper()
	b := e.browser()
	if r, _ := b.login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login: %s", r.path)
	}
	return b
}

// A thief who logged in with the citizen's password and a code keeps no
// session once the citizen has a new token: it ends at the next request.
func TestThiefSessionEndsWithTheToken(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	codes := onlineAccount(t, e)
	thief := loggedIn(t, e, codes)
	if r := e.browser().requestOnline(loadCard(t, "citizen-1.8"), "", "", ""); r.path != "/request/sent" {
		t.Fatalf("new token: %s", r.path)
	}
	if r := thief.get("/me"); r.path != "/login" {
		t.Errorf("the thief's session after the citizen's new token: %s, want /login", r.path)
	}
	codes = e.last().codes(t)
	if b := loggedIn(t, e, codes); b.get("/me").path != "/me" {
		t.Error("the citizen cannot log in with the new token")
	}
}

// "Log out everywhere" ends every session of the citizen, on every device.
func TestLogOutEverywhere(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	codes := onlineAccount(t, e)
	phone, laptop := loggedIn(t, e, codes), loggedIn(t, e, codes)
	laptop.get("/me")
	if r := laptop.post("/logout/everywhere", url.Values{"csrf": {laptop.csrf()}}); r.path != "/" {
		t.Fatalf("log out everywhere: %d %s", r.status, r.path)
	}
	for name, b := range map[string]*browser{"the phone": phone, "the laptop": laptop} {
		if r := b.get("/me"); r.path != "/login" {
			t.Errorf("%s after logging out everywhere: %s, want /login", name, r.path)
		}
	}
}

// An officer's session does not carry the officer role into a citizen
// login in the same browser.
func TestOfficerRoleNotCarriedIntoCitizenLogin(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	codes := onlineAccount(t, e)
	b := e.officer()
	if r, _ := b.login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("citizen login: %s", r.path)
	}
	if r := b.get("/officer"); !strings.Contains(r.body, `data-flow="officer"`) {
		t.Error("the citizen's session still has the officer's role")
	}
}
