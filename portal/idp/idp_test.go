package idp

import (
	"bytes"
	"strings"
	"testing"
)

func TestClientSpecCheck(t *testing.T) {
	good := ClientSpec{ID: "pension", Name: "MyPension", Secret: strings.Repeat("s", MinSecretLength),
		RedirectURIs: []string{"https://pension.example.be/cb", "http://127.0.0.1:8444/cb", "http://localhost/cb"},
		Scopes:       []string{ScopeProfile, ScopeNationalNumber}}
	if err := good.Check(); err != nil {
		t.Fatalf("a good registration: %v", err)
	}
	for _, tc := range []struct {
		mod  func(*ClientSpec)
		want string
	}{
		{func(c *ClientSpec) { c.ID = "a b" }, "client id"},
		{func(c *ClientSpec) { c.ID = strings.Repeat("a", 65) }, "client id"},
		{func(c *ClientSpec) { c.Name = " " }, "service name"},
		{func(c *ClientSpec) { c.Secret = "short" }, "client secret"},
		{func(c *ClientSpec) { c.RedirectURIs = nil }, "at least one"},
		{func(c *ClientSpec) { c.RedirectURIs = []string{"http://pension.example.be/cb"} }, "loopback"},
		{func(c *ClientSpec) { c.RedirectURIs = []string{"https://pension.example.be/cb#x"} }, "fragment"},
		{func(c *ClientSpec) { c.RedirectURIs = []string{"/cb"} }, "absolute"},
		{func(c *ClientSpec) { c.RedirectURIs = []string{"be.pension:/cb"} }, "absolute"},
		{func(c *ClientSpec) { c.PostLogoutURIs = []string{"ftp://pension.example.be/"} }, "https"},
		{func(c *ClientSpec) { c.Scopes = []string{"email"} }, `scope "email"`},
	} {
		c := good
		tc.mod(&c)
		if err := c.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error about %s", c, err, tc.want)
		}
	}
}

// A sealed value opens only where it was sealed: a request's state
// cannot be moved to another request's row.
func TestSealedValuesStayInTheirRow(t *testing.T) {
	s, err := deriveSecrets(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.seal(requestAD("a"), []byte("who"))
	if got, err := s.open(requestAD("a"), sealed); err != nil || string(got) != "who" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := s.open(requestAD("b"), sealed); err == nil {
		t.Error("a sealed request opened in another row")
	}
	if _, err := deriveSecrets(make([]byte, 16)); err == nil {
		t.Error("a 16-byte master secret was accepted")
	}
	if s.pairwise("one", "85031486536") == s.pairwise("two", "85031486536") {
		t.Error("two services get the same subject")
	}
}

func TestInsecureIssuerOnLoopbackOnly(t *testing.T) {
	for issuer, want := range map[string]bool{"http://127.0.0.1:8443": true, "http://localhost:8443": true,
		"http://[::1]:8443": true, "http://token.example.be": false, "https://token.example.be": false} {
		if insecureOK(issuer) != want {
			t.Errorf("%s: %v", issuer, !want)
		}
	}
}
