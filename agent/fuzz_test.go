package agent

import (
	"strings"
	"testing"
)

// Attack strings of the handshake and request reviews, as seeds.
var originSeeds = []string{"null", "", "https://evil.test", "https://belgium.be.evil.test", "https://mijn.belgium.be.",
	"https://mijn.belgium.be:8443", "http://mijn.belgium.be", "ws://mijn.belgium.be", "http://127.0.0.1:8080/",
	"https://user@mijn.belgium.be", "https://evil.test@mijn.belgium.be", "https://mijn.belgium.be?x",
	"https://mijn%2ebelgium.be", "https://mijn.belgіum.be", "https://*.belgium.be", "https://mijn.belgium.be:0443",
	"https://mijn..belgium.be", "https://-x.belgium.be", "https://mijn.belgium.be:99999", "https://[::1]:8080",
	"HTTPS://MIJN.Belgium.BE:443", "https://a.b.fgov.be", "https://xn--mijn-belgium.be", "http://localhost:8080",
	"https://mijn.belgium.be\r\nX: y", "https://mijn.belgium.be\x00.evil"}

// FuzzParseOrigin: parsing never panics; what parses prints back to a
// canonical form that parses to the same origin; the allowlist answers
// the same for both.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range originSeeds {
		f.Add(s)
	}
	allow, err := NewAllowlist(append(DefaultOrigins, "http://127.0.0.1:8080"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOrigin(s)
		if err != nil {
			return
		}
		again, err := ParseOrigin(o.String())
		if err != nil || again != o {
			t.Fatalf("%q parsed to %q, which parses to %+v (%v)", s, o.String(), again, err)
		}
		if allow.Allows(o) != allow.Allows(again) {
			t.Fatalf("%q: the allowlist answers differently for its canonical form", s)
		}
		if strings.ContainsAny(o.Host, "\x00\r\n\t @?#/\\%") {
			t.Fatalf("%q: the host %q holds a separator", s, o.Host)
		}
	})
}

// FuzzParseRequest: any message gets a request or a protocol error, and
// never a PIN-carrying field taken as anything but a refusal.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{`{"id":"1","op":"version"}`, `{"id":"1","op":"authenticate","params":{"challengeNonce":"x"}}`,
		`{"id":"1","op":"sign","pin":"1234"}`, `{"id":1,"op":"status"}`, `[]`, `null`, `{"id":"` + strings.Repeat("a", 300) + `"}`,
		`{"op":"version","op":"status","id":"x"}`, `{"id":"1","op":"version","params":null}`, `{"id":"\u0000","op":"x"}`,
		`{"id":"1","op":"readIdentity","params":{"include":["identity","address","photo","photo"]}}`,
		`{"id":"1","op":"cancel","params":{"id":"2"},"answer":"yes"}`, strings.Repeat("[", 10000)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, perr := parseRequest(data)
		if perr == nil && req.id == nil {
			t.Fatalf("%q parsed without an id", data)
		}
		if perr == nil {
			if op, ok := operations[req.op]; ok {
				op.parse(req.params)
			}
		}
	})
}
