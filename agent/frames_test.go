package agent_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
)

// wantClose reads until the agent closes the connection with code.
func (c *client) wantClose(code int) {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := c.ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != code {
			c.t.Fatalf("connection ended with %v, want close %d", err, code)
		}
		return
	}
}

func TestFrameLimit(t *testing.T) {
	e := start(t, "", newScriptUI())
	c := e.dial(testOrigin)
	msg := `{"id":"big","op":"version"}`
	c.sendRaw(msg + strings.Repeat(" ", agent.MaxMessage-len(msg))) // exactly 64 KiB: served
	if r := c.next(); r.Error != nil || *r.ID != "big" {
		t.Fatalf("a 64 KiB message was refused: %+v", r.Error)
	}
	c.sendRaw(msg + strings.Repeat(" ", agent.MaxMessage-len(msg)+1))
	c.wantClose(websocket.CloseMessageTooBig)
}

func TestBinaryFrameCloses(t *testing.T) {
	e := start(t, "", newScriptUI())
	c := e.dial(testOrigin)
	if err := c.ws.WriteMessage(websocket.BinaryMessage, []byte(`{"id":"1","op":"version"}`)); err != nil {
		t.Fatal(err)
	}
	c.wantClose(websocket.CloseUnsupportedData)
}

func TestMalformedRequests(t *testing.T) {
	e := start(t, "", newScriptUI())
	c := e.dial(testOrigin)
	for _, tc := range []struct {
		msg    string
		code   agent.Code
		withID bool
	}{
		{`{"id":"1","op":"version"`, agent.CodeInvalidRequest, false},
		{`not json`, agent.CodeInvalidRequest, false},
		{`[1,2]`, agent.CodeInvalidRequest, false},
		{`null`, agent.CodeInvalidRequest, false},
		{`{"op":"version"}`, agent.CodeInvalidRequest, false},
		{`{"id":7,"op":"version"}`, agent.CodeInvalidRequest, false},
		{`{"id":"","op":"version"}`, agent.CodeInvalidRequest, false},
		{`{"id":"` + strings.Repeat("x", 129) + `","op":"version"}`, agent.CodeInvalidRequest, false},
		{`{"id":"1"}`, agent.CodeInvalidRequest, true},
		{`{"id":"1","op":42}`, agent.CodeInvalidRequest, true},
		{`{"id":"1","op":"version","params":[]}`, agent.CodeInvalidRequest, true},
		{`{"id":"1","op":"version","extra":1}`, agent.CodeInvalidRequest, true},
		{`{"id":"1","op":"readPrivateKey"}`, agent.CodeUnknownOperation, true},
		{`{"id":"1","op":"Version"}`, agent.CodeUnknownOperation, true},
		{`{"id":"1","op":"authenticate","params":{"challengeNonce":"` + testNonce + `","chalengeNonce":"x"}}`, agent.CodeInvalidRequest, true},
	} {
		c.sendRaw(tc.msg)
		r := c.next()
		c.wantError(r, shortMsg(tc.msg), tc.code)
		if (r.ID != nil) != tc.withID {
			t.Errorf("%s: reply id %v", shortMsg(tc.msg), r.ID)
		}
	}
	var v agent.VersionResult
	c.ok("version", nil, &v) // still served after all that
}

func shortMsg(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// Nothing on the socket can pass a PIN or answer a dialog; such requests
// are refused, logged by field name only, and never reach the UI.
func TestPINFromPageRefused(t *testing.T) {
	u := newScriptUI()
	e := start(t, "citizen-1.7", u)
	c := e.dial(testOrigin)
	for _, msg := range []string{
		`{"id":"1","op":"authenticate","params":{"challengeNonce":"` + testNonce + `","pin":"0042424242"}}`,
		`{"id":"2","op":"sign","params":{"PIN":"0042424242"}}`,
		`{"id":"3","op":"authenticate","pin":"0042424242","params":{"challengeNonce":"` + testNonce + `"}}`,
		`{"id":"4","op":"answer","params":{"id":"1","allow":true}}`,
		`{"id":"5","op":"enterPin","params":{"value":"0042424242"}}`,
		`{"id":"6","op":"readIdentity","params":{"include":["identity"],"allow":true}}`,
		`{"id":"7","op":"cancel","params":{"id":"1","consent":true}}`,
	} {
		c.sendRaw(msg)
		r := c.next()
		e := c.wantError(r, shortMsg(msg), agent.CodeInvalidRequest)
		if !strings.Contains(e.Message, "PIN") {
			t.Errorf("%s: message %q does not say why", shortMsg(msg), e.Message)
		}
	}
	if n := len(u.questions()); n != 0 {
		t.Errorf("%d dialogs shown", n)
	}
	logs := e.logs.String()
	if strings.Contains(logs, "0042424242") {
		t.Error("the PIN a page sent is in the log")
	}
	if strings.Count(logs, "tried to pass a PIN or answer a dialog") != 7 {
		t.Errorf("refusals not logged:\n%s", logs)
	}
}

// The logs and the audit log hold neither the PIN nor identity data.
func TestLogsHoldNoSecrets(t *testing.T) {
	u := newScriptUI(pin("987654321098"), pin("1234"), allow())
	e := start(t, "citizen-1.7", u)
	c := e.dial(testOrigin)
	var tok agent.AuthToken
	c.ok("authenticate", authParams, &tok)
	var id agent.IdentityResult
	c.ok("readIdentity", map[string]any{"include": []string{"identity", "address", "photo"}}, &id)
	for name, text := range map[string]string{"log": e.logs.String(), "audit": e.audit.String()} {
		for _, secret := range []string{`"1234"`, "987654321098", id.Identity.NationalNumber, id.Identity.Surname,
			id.Identity.GivenNames, id.Address.StreetAndNumber, id.Identity.CardNumber} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds %q", name, secret)
			}
		}
	}
	if n := strings.Count(e.audit.String(), "\n"); n != 2 {
		t.Errorf("audit has %d lines, want 2:\n%s", n, e.audit.String())
	}
}
