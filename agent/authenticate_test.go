package agent_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

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
			want := ui.Question{Kind: ui.KindPIN, Origin: testOrigin, Lang: "en", Purpose: ui.PurposeAuthenticate,
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

// The PIN is asked for every authentication: after the citizen typed it
// for one site, another site (or the same one again) gets no token on a
// click. Issue: "One PIN, every site".
func TestAuthenticateAsksThePINEveryTime(t *testing.T) {
	u := newScriptUI(pin("1234"), pin("1234"), cancel())
	e := start(t, "citizen-1.8", u)
	a, b := e.dial(testOrigin), e.dial("https://www.belgium.be")
	var tok agent.AuthToken
	a.ok("authenticate", map[string]any{"challengeNonce": testNonce}, &tok)
	b.ok("authenticate", map[string]any{"challengeNonce": testNonce + "x"}, &tok)
	checkTokenStdlib(t, tok, "https://www.belgium.be", testNonce+"x", fixtureCert(t, "citizen-1.8", fileAuthCert))
	a.fails("authenticate", map[string]any{"challengeNonce": testNonce}, agent.CodeUserCancelled)
	qs := u.questions()
	if len(qs) != 3 || qs[0].Kind != ui.KindPIN || qs[1].Kind != ui.KindPIN || qs[2].Kind != ui.KindPIN {
		t.Fatalf("questions %+v, want the PIN three times", qs)
	}
	if qs[1].Origin != "https://www.belgium.be" {
		t.Errorf("the second PIN question names %q", qs[1].Origin)
	}
}

// A PIN another program verified on the card does not stand in for the
// citizen's PIN either: the card is logged off and the PIN asked.
func TestAuthenticateIgnoresAnotherProgramsPIN(t *testing.T) {
	u := newScriptUI(pin("1234"))
	e := start(t, "citizen-1.7", u)
	verify := []byte{0x00, 0x20, 0x00, 0x01, 0x08, 0x24, 0x12, 0x34, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	if resp, err := e.card.TransmitRaw(verify); err != nil || len(resp) != 2 || resp[0] != 0x90 {
		t.Fatalf("VERIFY by another program: % X %v", resp, err)
	}
	var tok agent.AuthToken
	e.dial(testOrigin).ok("authenticate", map[string]any{"challengeNonce": testNonce}, &tok)
	if qs := u.questions(); len(qs) != 1 || qs[0].Kind != ui.KindPIN {
		t.Fatalf("questions %+v, want the PIN", qs)
	}
	if resp, _ := e.card.TransmitRaw([]byte{0x00, 0x20, 0x00, 0x01}); len(resp) != 2 || resp[0] != 0x63 {
		t.Errorf("after the token the card still holds the PIN right (status % X)", resp)
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
	// Blocked now: no PIN is asked, but the page learns it only after a
	// dialog the citizen answered; refused, it learns nothing.
	u.add(allow(), cancel())
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce}, agent.CodePINBlocked)
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce}, agent.CodeUserCancelled)
	qs := u.questions()
	if len(qs) != 5 || qs[3].Kind != ui.KindConsent || qs[4].Kind != ui.KindConsent || !qs[3].Blocked ||
		!strings.Contains(ui.Text(qs[3]), "PUK code") {
		t.Errorf("questions %+v, want 3 PINs then, for each blocked attempt, a dialog saying the PIN is blocked", qs)
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

// Kids cards have no authentication certificate; that a kids card is in
// the reader (an age bracket) reaches the page only after a dialog.
func TestAuthenticateKidsCard(t *testing.T) {
	clk := &atomicTime{}
	e := start(t, "kids-1.7", newScriptUI(cancel(), allow()), withClock(clk))
	c := e.dial(testOrigin)
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce}, agent.CodeUserCancelled)
	clk.add(time.Minute) // past the back-off after a refusal
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce}, agent.CodeUnsupportedCard)
	qs := e.ui.questions()
	if len(qs) != 2 || qs[0].Kind != ui.KindConsent || qs[0].Origin != testOrigin || qs[0].Holder != "" {
		t.Errorf("questions %+v, want a consent naming the site (and no holder) before each answer", qs)
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

// The page's language (lang, as Web eID passes it) chooses the dialog's;
// a malformed one is refused like any bad field.
func TestDialogLanguageFromThePage(t *testing.T) {
	u := newScriptUI(pin("1234"), pin("1234"))
	e := start(t, "citizen-1.8", u)
	c := e.dial(testOrigin)
	for _, lang := range []string{"nl-BE", "de"} {
		r := c.raw(map[string]any{"op": "authenticate", "lang": lang, "params": map[string]any{"challengeNonce": testNonce}})
		if r.Error != nil {
			t.Fatalf("authenticate in %s: %+v", lang, r.Error)
		}
	}
	if qs := u.questions(); len(qs) != 2 || qs[0].Lang != "nl" || qs[1].Lang != "de" {
		t.Errorf("questions %+v, want one in Dutch, then one in German", qs)
	}
	if r := c.raw(map[string]any{"op": "version", "lang": 42}); r.Error == nil || r.Error.Code != agent.CodeInvalidRequest {
		t.Errorf("a lang that is no string: %+v", r.Error)
	}
}
