package agent_test

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// A site that asks for a web-eid:1.1 token gets the signing certificate
// and its algorithms with the login, after a PIN dialog that says so;
// the token is still one the verify package accepts.
func TestAuthenticateWebEID11(t *testing.T) {
	for _, fixture := range []string{"citizen-1.7", "citizen-1.8"} {
		t.Run(fixture, func(t *testing.T) {
			u := newScriptUI(pin("1234"), allow())
			e := start(t, fixture, u)
			c := e.dial(testOrigin)
			r := c.call("authenticate", map[string]any{"challengeNonce": testNonce, "format": "web-eid:1.1"})
			var tok agent.AuthToken
			var fields map[string]any
			if r.Error != nil || json.Unmarshal(r.Result, &tok) != nil || json.Unmarshal(r.Result, &fields) != nil {
				t.Fatalf("authenticate: %+v %s", r.Error, r.Result)
			}
			if tok.Format != "web-eid:1.1" || len(fields) != 7 {
				t.Errorf("format %q, fields %v; want web-eid:1.1 with seven fields", tok.Format, keys(fields))
			}
			if want := base64.StdEncoding.EncodeToString(fixtureCert(t, fixture, fileSignCert)); tok.UnverifiedSigningCertificate != want {
				t.Error("unverifiedSigningCertificate is not the card's signing certificate")
			}
			var sc agent.SigningCertificateResult
			c.ok("getSigningCertificate", nil, &sc)
			if !reflect.DeepEqual(tok.SupportedSignatureAlgorithms, sc.SupportedSignatureAlgorithms) {
				t.Errorf("algorithms %+v, getSigningCertificate says %+v", tok.SupportedSignatureAlgorithms, sc.SupportedSignatureAlgorithms)
			}
			checkTokenVerify(t, tok, fixture, testOrigin, testNonce)
			qs := u.questions()
			if len(qs) != 2 || qs[0].Kind != ui.KindPIN || !qs[0].SigningCertificate ||
				!strings.Contains(ui.Text(qs[0]), "also receive your signing certificate") {
				t.Errorf("questions %+v: the PIN dialog does not say the signing certificate goes too", qs)
			}
		})
	}
}

// The format is one of the two the agent makes, checked before any
// dialog; 1.0, asked or not, has only its five fields.
func TestAuthenticateFormat(t *testing.T) {
	u := newScriptUI(pin("1234"))
	e := start(t, "citizen-1.8", u)
	c := e.dial(testOrigin)
	for _, f := range []any{"web-eid:2.0", "WEB-EID:1.1", "web-eid:1", "web-eid:1.1 ", 11} {
		c.fails("authenticate", map[string]any{"challengeNonce": testNonce, "format": f}, agent.CodeInvalidRequest)
	}
	if qs := u.questions(); len(qs) != 0 {
		t.Fatalf("a refused format showed %+v", qs)
	}
	r := c.call("authenticate", map[string]any{"challengeNonce": testNonce, "format": "web-eid:1.0"})
	var fields map[string]any
	if r.Error != nil || json.Unmarshal(r.Result, &fields) != nil || len(fields) != 5 || fields["format"] != "web-eid:1.0" {
		t.Errorf("a web-eid:1.0 token: %+v %v", r.Error, fields)
	}
	if qs := u.questions(); len(qs) != 1 || qs[0].SigningCertificate {
		t.Errorf("questions %+v, want one PIN that shares no signing certificate", qs)
	}
}

// A card without a signing certificate cannot make a 1.1 token: the
// site learns it after a dialog, and no PIN is asked.
func TestAuthenticateWebEID11WithoutSigningCertificate(t *testing.T) {
	u := newScriptUI(allow())
	e := start(t, "", u)
	content, err := virtualcard.Load("../eid/virtualcard/testdata/citizen-1.8")
	if err != nil {
		t.Fatal(err)
	}
	content.Files[fileSignCert] = make([]byte, len(content.Files[fileSignCert])) // as on a card that has none
	e.cards.Insert(testReader, virtualcard.New(content))
	c := e.dial(testOrigin)
	c.fails("authenticate", map[string]any{"challengeNonce": testNonce, "format": "web-eid:1.1"}, agent.CodeUnsupportedCard)
	if qs := u.questions(); len(qs) != 1 || qs[0].Kind != ui.KindConsent {
		t.Errorf("questions %+v, want one consent and no PIN", qs)
	}
}
