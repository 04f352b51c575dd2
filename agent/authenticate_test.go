package agent_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

func TestAuthenticate(t *testing.T) {
	for _, tc := range []struct {
		fixture, alg, holder string
	}{
		{"citizen-1.7", "RS256", "Jan Pieter Peeters"},
		{"citizen-1.8", "ES384", "Marie Claire Dubois"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			u := newScriptUI(pin("1234"))
			e := start(t, tc.fixture, u)
			c := e.dial(testOrigin)
			var tok agent.AuthToken
			c.ok("authenticate", map[string]any{"challengeNonce": testNonce}, &tok)
			if tok.Algorithm != tc.alg {
				t.Errorf("algorithm %q, want %q", tok.Algorithm, tc.alg)
			}
			checkTokenStdlib(t, tok, testOrigin, testNonce, fixtureCert(t, tc.fixture, fileAuthCert))
			cit := checkTokenVerify(t, tok, tc.fixture, testOrigin, testNonce)
			if got := cit.GivenNames + " " + cit.Surname; got == "" {
				t.Error("verify found no citizen name")
			}
			qs := u.questions()
			if len(qs) != 1 {
				t.Fatalf("%d questions, want one PIN question: %+v", len(qs), qs)
			}
			want := ui.Question{Kind: ui.KindPIN, Origin: testOrigin, Purpose: ui.PurposeAuthenticate,
				Holder: tc.holder, TriesLeft: 3}
			if !reflect.DeepEqual(qs[0], want) {
				t.Errorf("question %+v, want %+v", qs[0], want)
			}
			if !containsAll(e.audit.String(), `"operation":"authenticate"`, `"outcome":"ok"`, `"origin":"https://mijn.belgium.be"`) {
				t.Errorf("audit log: %s", e.audit.String())
			}
		})
	}
}

// A second authentication in the same card session needs no PIN, so the
// citizen is asked for consent instead: never an operation without a dialog.
func TestAuthenticateAgainAsksConsent(t *testing.T) {
	u := newScriptUI(pin("1234"), allow(), cancel())
	e := start(t, "citizen-1.8", u)
	c := e.dial(testOrigin)
	var tok agent.AuthToken
	c.ok("authenticate", map[string]any{"challengeNonce": testNonce}, &tok)
	c.ok("authenticate", map[string]any{"challengeNonce": testNonce + "x"}, &tok)
	checkTokenStdlib(t, tok, testOrigin, testNonce+"x", fixtureCert(t, "citizen-1.8", fileAuthCert))
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce}, agent.CodeUserCancelled)
	qs := u.questions()
	if len(qs) != 3 || qs[1].Kind != ui.KindConsent || qs[2].Kind != ui.KindConsent {
		t.Fatalf("questions %+v, want PIN then consent twice", qs)
	}
}

// The signed origin is the handshake's, canonicalised: a page cannot
// choose it, and upper case or :443 do not change it.
func TestAuthenticateOriginFromHandshake(t *testing.T) {
	u := newScriptUI(pin("1234"))
	e := start(t, "citizen-1.7", u)
	c := e.dial("HTTPS://Mijn.Belgium.BE:443")
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce, "origin": "https://evil.test"},
		agent.CodeInvalidRequest)
	var tok agent.AuthToken
	c.ok("authenticate", map[string]any{"challengeNonce": testNonce}, &tok)
	checkTokenStdlib(t, tok, testOrigin, testNonce, fixtureCert(t, "citizen-1.7", fileAuthCert))
}

// A wrong PIN is asked again in the dialog with the tries left; the page
// only sees the final outcome.
func TestAuthenticateWrongPINAskedAgain(t *testing.T) {
	u := newScriptUI(pin("9999"), pin("0000"), pin("1234"))
	e := start(t, "citizen-1.7", u)
	c := e.dial(testOrigin)
	var tok agent.AuthToken
	c.ok("authenticate", map[string]any{"challengeNonce": testNonce}, &tok)
	qs := u.questions()
	if len(qs) != 3 {
		t.Fatalf("%d questions, want 3", len(qs))
	}
	for i, want := range []struct {
		tries int
		wrong bool
	}{{3, false}, {2, true}, {1, true}} {
		if qs[i].TriesLeft != want.tries || qs[i].WrongPIN != want.wrong {
			t.Errorf("question %d: triesLeft %d wrongPin %v, want %d %v", i, qs[i].TriesLeft, qs[i].WrongPIN, want.tries, want.wrong)
		}
	}
}

func TestAuthenticatePINBlocked(t *testing.T) {
	u := newScriptUI(pin("9999"), pin("9998"), pin("9997"))
	e := start(t, "citizen-1.8", u)
	c := e.dial(testOrigin)
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce}, agent.CodePINBlocked)
	// Blocked now: refused before any dialog.
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce}, agent.CodePINBlocked)
	if n := len(u.questions()); n != 3 {
		t.Errorf("%d questions, want 3 (none once blocked)", n)
	}
	if !containsAll(e.audit.String(), `"outcome":"PIN_BLOCKED"`) {
		t.Errorf("audit: %s", e.audit.String())
	}
}

func TestAuthenticateNonceLength(t *testing.T) {
	e := start(t, "citizen-1.7", newScriptUI())
	c := e.dial(testOrigin)
	for _, n := range []any{testNonce[:43], string(make([]byte, 129)), "", 42, testNonce[:40] + "\n\t\x00\x01"} {
		r := c.call("authenticate", map[string]any{"challengeNonce": n})
		c.wantError(r, "authenticate", agent.CodeInvalidRequest)
	}
	var tok agent.AuthToken
	e.ui.add(pin("1234"))
	long := repeat("A", 128)
	c.ok("authenticate", map[string]any{"challengeNonce": long}, &tok)
	checkTokenStdlib(t, tok, testOrigin, long, fixtureCert(t, "citizen-1.7", fileAuthCert))
}

// Kids cards have no authentication certificate.
func TestAuthenticateKidsCard(t *testing.T) {
	e := start(t, "kids-1.7", newScriptUI())
	c := e.dial(testOrigin)
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce}, agent.CodeUnsupportedCard)
	if len(e.ui.questions()) != 0 {
		t.Error("a dialog was shown for a card that cannot authenticate")
	}
}

func TestTokenIsWebEIDShaped(t *testing.T) {
	e := start(t, "citizen-1.8", newScriptUI(pin("1234")))
	c := e.dial(testOrigin)
	r := c.call("authenticate", map[string]any{"challengeNonce": testNonce})
	var fields map[string]any
	if err := json.Unmarshal(r.Result, &fields); err != nil {
		t.Fatal(err)
	}
	want := []string{"unverifiedCertificate", "algorithm", "signature", "format", "appVersion"}
	if len(fields) != len(want) {
		t.Errorf("token fields %v, want exactly %v", keys(fields), want)
	}
	for _, k := range want {
		if _, ok := fields[k].(string); !ok {
			t.Errorf("token field %q missing or not a string", k)
		}
	}
}
