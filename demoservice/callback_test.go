package demoservice

import (
	"net/http"
	"testing"
)

// TestCallbackStateMismatch: an answer with another state is refused, and
// does not use up the login in progress, which still completes.
func TestCallbackStateMismatch(t *testing.T) {
	rg := newRig(t)
	back := rg.toCallback(rg.b, "/login?lang=en")
	q := back.Query()
	good := q.Get("state")
	q.Set("state", "forged")
	back.RawQuery = q.Encode()
	r, page := rg.b.get(back.String())
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("a foreign state: %d, want 400", r.StatusCode)
	}
	wantText(t, page, en(t, "err.state"))
	if rg.svc.sessions.len() != 0 {
		t.Fatal("a foreign state logged the browser in")
	}
	q.Set("state", good)
	back.RawQuery = q.Encode()
	if r, page = rg.b.get(back.String()); r.Request.URL.Path != "/" {
		t.Errorf("the real answer after a forged one ended on %s:\n%s", r.Request.URL, page)
	}
	wantText(t, page, fakeSub)
}

// TestCallbackNeedsItsCookie: the answer reaches a browser without the
// login cookie, or with one the service did not give out (a login
// started elsewhere): refused; so is a second use of the same answer.
func TestCallbackNeedsItsCookie(t *testing.T) {
	rg := newRig(t)
	back := rg.toCallback(rg.b, "/login?lang=en")
	other := rg.browser()
	r, page := other.get(back.String() + "&lang=en")
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("without the login cookie: %d, want 400", r.StatusCode)
	}
	wantText(t, page, en(t, "err.expired"))

	req, _ := http.NewRequest(http.MethodGet, back.String()+"&lang=en", nil)
	req.AddCookie(&http.Cookie{Name: loginCookie, Value: newID()})
	if r, page = other.do(req); r.StatusCode != http.StatusBadRequest {
		t.Errorf("with a foreign login cookie: %d, want 400", r.StatusCode)
	}
	wantText(t, page, en(t, "err.expired"))

	if r, _ = rg.b.get(back.String()); r.Request.URL.Path != "/" {
		t.Fatalf("the right browser's answer ended on %s", r.Request.URL)
	}
	if r, page = rg.b.get(back.String() + "&lang=en"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("the same answer again: %d, want 400", r.StatusCode)
	}
	wantText(t, page, en(t, "err.expired"))
}

// TestProviderErrorShown: an error from the provider gets a page in the
// citizen's words with the code; its description is not shown, nor a
// code with characters no error code has.
func TestProviderErrorShown(t *testing.T) {
	rg := newRig(t)
	for _, c := range []struct{ code, key, shown string }{
		{"access_denied", "err.denied", "access_denied"},
		{"login_required", "err.provider.login", "login_required"},
		{"server_error", "err.provider.unavailable", "server_error"},
		{"invalid_scope", "err.provider.other", "invalid_scope"},
		{"<b>call 0800</b>", "err.provider.other", "?"},
	} {
		back := rg.toCallback(rg.b, "/login?lang=en")
		q := back.Query()
		q.Del("code")
		q.Set("error", c.code)
		q.Set("error_description", "Call +32 2 000 00 00 now")
		back.RawQuery = q.Encode()
		r, page := rg.b.get(back.String())
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", c.code, r.StatusCode)
		}
		wantText(t, page, en(t, "err.title"), en(t, c.key), en(t, "err.code", c.shown))
		if containsAny(page, "Call +32", "<b>call") {
			t.Errorf("%s: the page shows the provider's text:\n%s", c.code, page)
		}
	}
	if rg.svc.logins.len() != 0 {
		t.Errorf("%d answered logins are still kept", rg.svc.logins.len())
	}
}
