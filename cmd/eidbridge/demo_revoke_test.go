package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The demo checks every card with the virtual card's revocation service:
// after `eidbridge vcard revoke` on the demo's card, as its banner says,
// a token request through pcscd is refused with the revoked message.
func TestDemoRefusesRevokedCard(t *testing.T) {
	needPCSC(t)
	data := filepath.Join(t.TempDir(), "demo")
	p := startDemo(t, "--pcsc", "--auto-pin", "--addr", "127.0.0.1:0", "--agent-port", "0", "--data", data)
	card := filepath.Join(data, "card")
	if hint := p.field(t, `(eidbridge vcard revoke \S+)`); hint != "eidbridge vcard revoke "+card {
		t.Errorf("the banner says %q", hint)
	}
	if out, err := exec.Command(e2eBin, "vcard", "revoke", card).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "revoked the authentication certificate") {
		t.Fatalf("vcard revoke: %v\n%s", err, out)
	}
	startVcard(t, card, "1.8")
	b := newDemoBrowser(t, p.url(t))
	status, m := b.verifyWithEID()
	if status != http.StatusUnprocessableEntity || m["error"] != "err.eid.revoked" {
		t.Fatalf("a revoked card: %d %v, want 422 err.eid.revoked", status, m)
	}
}

// verifyWithEID is requestWithEID that returns the portal's answer to the
// verification, whatever it is.
func (b *demoBrowser) verifyWithEID() (int, map[string]string) {
	b.t.Helper()
	agentURL, csrf, nonce := b.challengeOn("/request")
	res := b.agentCalls(agentURL,
		map[string]any{"op": "authenticate", "params": map[string]string{"challengeNonce": nonce}},
		map[string]any{"op": "readIdentity", "params": map[string][]string{"include": {"identity", "address"}}})
	var id struct {
		Files json.RawMessage `json:"files"`
	}
	json.Unmarshal(res[1], &id)
	body, _ := json.Marshal(map[string]any{"nonce": nonce, "token": res[0], "identity": id.Files})
	req, _ := http.NewRequest(http.MethodPost, b.base+"/request/verify", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	r, text := b.do(req)
	m := map[string]string{}
	json.Unmarshal([]byte(text), &m)
	return r.StatusCode, m
}
