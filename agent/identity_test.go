package agent_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/verify"
)

func TestReadIdentity(t *testing.T) {
	for _, tc := range []struct{ fixture, cardType, surname, holder string }{
		{"citizen-1.7", "beid-1.7", "Peeters", "Jan Pieter Peeters"},
		{"citizen-1.8", "beid-1.8", "Dubois", "Marie Claire Dubois"},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			u := newScriptUI(allow())
			e := start(t, tc.fixture, u)
			c := e.dial(testOrigin)
			var res agent.IdentityResult
			c.ok("readIdentity", map[string]any{"include": []string{"identity", "address", "photo"}}, &res)
			if res.CardType != tc.cardType || res.Identity == nil || res.Identity.Surname != tc.surname || res.Address == nil {
				t.Fatalf("result: cardType %q identity %+v address %+v", res.CardType, res.Identity, res.Address)
			}
			got, err := verify.VerifyIdentity(verify.IdentityData(res.Files), verify.IdentityOptions{Roots: fixtureRoots(t, tc.fixture)})
			if err != nil {
				t.Fatalf("the files do not verify: %v", err)
			}
			if got.Identity.NationalNumber != res.Identity.NationalNumber || got.Address.ZIP != res.Address.ZIP {
				t.Error("parsed data differ from the verified files")
			}
			want := ui.Question{Kind: ui.KindConsent, Origin: testOrigin, Lang: "en", Purpose: ui.PurposeReadIdentity,
				Holder: tc.holder, TriesLeft: 3, Items: []string{"identity", "address", "photo"}}
			if qs := u.questions(); len(qs) != 1 || !reflect.DeepEqual(qs[0], want) {
				t.Errorf("questions %+v, want [%+v]", qs, want)
			}
		})
	}
}

// Only what was asked leaves the agent; the address still comes with the
// identity signature it is chained to.
func TestReadIdentityAddressOnly(t *testing.T) {
	e := start(t, "citizen-1.8", newScriptUI(allow()))
	c := e.dial(testOrigin)
	r := c.call("readIdentity", map[string]any{"include": []string{"address"}})
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	if qs := e.ui.questions(); len(qs) != 1 || !reflect.DeepEqual(qs[0].Items, []string{"address"}) {
		t.Errorf("the dialog does not say only the address is read: %+v", qs)
	}
	var fields struct {
		Identity json.RawMessage
		Address  json.RawMessage
		Files    map[string]string
	}
	if err := json.Unmarshal(r.Result, &fields); err != nil {
		t.Fatal(err)
	}
	if fields.Identity != nil || fields.Address == nil {
		t.Errorf("identity %s address %s", fields.Identity, fields.Address)
	}
	for _, k := range []string{"identity", "photo"} {
		if _, ok := fields.Files[k]; ok {
			t.Errorf("file %q returned though not asked", k)
		}
	}
	for _, k := range []string{"address", "addressSignature", "identitySignature", "rrnCertificate"} {
		if fields.Files[k] == "" {
			t.Errorf("file %q missing", k)
		}
	}
	if strings.Contains(string(r.Result), "Dubois") {
		t.Error("the name leaked into an address-only result")
	}
}

func TestReadIdentityRefused(t *testing.T) {
	e := start(t, "citizen-1.7", newScriptUI(cancel()))
	c := e.dial(testOrigin)
	r := c.call("readIdentity", map[string]any{"include": []string{"identity"}})
	c.wantError(r, "readIdentity", agent.CodeUserCancelled)
	if strings.Contains(string(r.Result), "Peeters") {
		t.Error("identity data in a refused reply")
	}
}

func TestReadIdentityBadInclude(t *testing.T) {
	e := start(t, "citizen-1.7", newScriptUI())
	c := e.dial(testOrigin)
	for _, p := range []any{
		map[string]any{},
		map[string]any{"include": []string{}},
		map[string]any{"include": []string{"identity", "nationalNumber"}},
		map[string]any{"include": []string{"photo"}},
		map[string]any{"include": "identity"},
	} {
		c.fails("readIdentity", p, agent.CodeInvalidRequest)
	}
	if len(e.ui.questions()) != 0 {
		t.Error("a dialog was shown for an invalid request")
	}
}
