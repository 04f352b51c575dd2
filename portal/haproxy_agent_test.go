//go:build cgo

package portal

import (
	"testing"
)

// The online request with the real agent and virtual card, then a login,
// through haproxy and two instances: the challenge, the proof, the
// account form and both login steps each land where the balancer puts
// them.
func TestClusterBehindHAProxyWithAgent(t *testing.T) {
	e, served, browser := haproxyCluster(t)
	ws := startAgent(t, "citizen-1.8", e.srv.URL, &pinUI{})
	b := browser()
	if r, m := b.verifyThroughAgent(ws); r.status != 200 || m["next"] != "/request/account" {
		t.Fatalf("verify through the agent: %d %v", r.status, m)
	}
	r := b.submit("/request/account", "/request/account", map[string][]string{"username": {user1},
		"password": {pass1}, "password2": {pass1}, "email": {mail1}})
	if r.path != "/request/sent" {
		t.Fatalf("account: %d %s", r.status, r.path)
	}
	codes := e.last().codes(t)
	if r, _ := browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login: %d %s", r.status, r.path)
	}
	if served[0].Load() == 0 || served[1].Load() == 0 {
		t.Errorf("requests per instance: %d and %d", served[0].Load(), served[1].Load())
	}
}
