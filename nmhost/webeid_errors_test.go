package nmhost

import (
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

// Every message the host can give the citizen exists in each language,
// and none is left in English.
func TestWebEIDCataloguesComplete(t *testing.T) {
	c := map[string]map[string]string{}
	for l, cat := range catalogs() {
		c[l] = cat.Messages()
	}
	en := c["en"]
	for _, code := range agent.Codes() {
		switch code {
		case agent.CodeInvalidRequest, agent.CodeUnknownOperation, agent.CodeActionPending:
			// a bad argument (English, for the site), or what one known
			// request per connection cannot get
		default:
			if en[string(code)] == "" {
				t.Errorf("no message for %s", code)
			}
		}
	}
	for _, l := range ui.Languages {
		if len(c[l]) != len(en) {
			t.Errorf("%s has %d messages, English %d", l, len(c[l]), len(en))
		}
		for k, v := range en {
			if got := c[l][k]; got == "" || l != "en" && got == v {
				t.Errorf("%s.%s: %q", l, k, got)
			}
		}
	}
}

func TestFromAgent(t *testing.T) {
	fr := func(key string) string { s, _ := text("fr", key); return s }
	for _, tc := range []struct {
		in         agent.Error
		code, want string
	}{
		{agent.Error{Code: agent.CodeInvalidRequest, Message: "Invalid request: hash is 3 bytes long"}, errInvalidArgument, "Invalid request: hash is 3 bytes long"},
		{agent.Error{Code: agent.CodeUserCancelled, Message: "x"}, errUserCancelled, fr("USER_CANCELLED")},
		{agent.Error{Code: agent.CodeUserTimeout, Message: "x"}, errUserTimeout, fr("USER_TIMEOUT")},
		{agent.Error{Code: agent.CodePINBlocked, Message: "x"}, errFatal, fr("PIN_BLOCKED")},
		{agent.Error{Code: agent.CodeCertificateMismatch, Message: "x"}, errInvalidArgument, fr("CERTIFICATE_MISMATCH")},
		{agent.Error{Code: agent.CodeUnknownOperation, Message: "Unknown operation."}, errInvalidArgument, "Unknown operation."},
		{agent.Error{Code: "SOMETHING_NEW", Message: "The agent's own words."}, errFatal, "The agent's own words."},
	} {
		if got := fromAgent(&tc.in, "fr"); got.Code != tc.code || got.Message != tc.want || got.Message == "" {
			t.Errorf("%s: %+v, want %s %q", tc.in.Code, got, tc.code, tc.want)
		}
	}
}
