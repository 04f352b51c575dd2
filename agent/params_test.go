package agent_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
)

// CheckParams refuses what the agent would refuse, with the same codes,
// and passes what it would serve.
func TestCheckParams(t *testing.T) {
	for _, tc := range []struct {
		op, params string
		want       agent.Code
	}{
		{"authenticate", `{"challengeNonce":"` + testNonce + `"}`, ""},
		{"authenticate", `{"challengeNonce":"` + testNonce + `","format":"web-eid:1.1"}`, ""},
		{"authenticate", `{"challengeNonce":"short"}`, agent.CodeInvalidRequest},
		{"authenticate", `{"challengeNonce":"` + testNonce + `","origin":"https://evil.test"}`, agent.CodeInvalidRequest},
		{"getSigningCertificate", ``, ""},
		{"getSigningCertificate", `{"x":1}`, agent.CodeInvalidRequest},
		{"sign", `{"hash":"AAAA","hashFunction":"SHA-256","certificate":"AAAA"}`, agent.CodeInvalidRequest},
		{"enterPin", `{}`, agent.CodeUnknownOperation},
	} {
		err := agent.CheckParams(tc.op, json.RawMessage(tc.params))
		var e *agent.Error
		if tc.want == "" && err != nil || tc.want != "" && (!errors.As(err, &e) || e.Code != tc.want) {
			t.Errorf("%s %s: %v, want %q", tc.op, tc.params, err, tc.want)
		}
	}
}
