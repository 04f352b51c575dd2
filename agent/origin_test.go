package agent

import (
	"errors"
	"testing"
)

func TestParseOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://x.belgium.be":          "https://x.belgium.be",
		"HTTPS://X.Belgium.BE":          "https://x.belgium.be",
		"https://x.belgium.be:443":      "https://x.belgium.be",
		"https://x.belgium.be:8443":     "https://x.belgium.be:8443",
		"http://127.0.0.1:80":           "http://127.0.0.1",
		"http://[0:0::1]:8080":          "http://[::1]:8080",
		"https://xn--bcher-kva.example": "https://xn--bcher-kva.example",
	} {
		o, err := ParseOrigin(in)
		if err != nil || o.String() != want {
			t.Errorf("ParseOrigin(%q) = %q, %v; want %q", in, o, err, want)
		}
	}
	for _, in := range []string{"", "null", "https://", "https:/x.be", "https://x.be/", "https://u:p@x.be",
		"https://x.be:0", "https://x.be:65536", "https://x.be:08443", "https://x.be:+443", "https://x.be.",
		"https://bücher.example", "https://x.be:44a", "https://127.1", "https://0x7f.0.0.1", "https://[::1%eth0]",
		"https://[::1", "https://::1", "file://x", "https://x_y.be", "https://*.belgium.be", "https://x.be\x00"} {
		if o, err := ParseOrigin(in); !errors.Is(err, ErrOrigin) {
			t.Errorf("ParseOrigin(%q) = %q, %v; want ErrOrigin", in, o, err)
		}
	}
}

func TestParsePattern(t *testing.T) {
	for _, in := range []string{"https://*.belgium.be", "https://*.a.b.be:8443", "http://localhost:3000", "http://[::1]:8080"} {
		if _, err := ParsePattern(in); err != nil {
			t.Errorf("ParsePattern(%q): %v", in, err)
		}
	}
	for _, in := range []string{"https://*.be", "https://*", "https://a.*.be", "https://**.belgium.be",
		"http://*.belgium.be", "http://x.belgium.be", "https://x*.belgium.be", "http://127.0.0.2:80"} {
		if _, err := ParsePattern(in); !errors.Is(err, ErrOrigin) {
			t.Errorf("ParsePattern(%q) accepted", in)
		}
	}
}

func TestAllowlist(t *testing.T) {
	a, err := NewAllowlist([]string{"https://*.belgium.be", "https://exact.example.org:8443", "http://127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]bool{
		"https://x.belgium.be":               true,
		"https://a.b.belgium.be":             true,
		"https://belgium.be":                 false,
		"https://xbelgium.be":                false,
		"https://x.belgium.be.evil.test":     false,
		"https://belgium.be.evil.test":       false,
		"https://x.belgium.be:8443":          false,
		"http://x.belgium.be":                false,
		"https://exact.example.org:8443":     true,
		"https://exact.example.org":          false,
		"https://sub.exact.example.org:8443": false,
		"http://127.0.0.1:8080":              true,
		"http://localhost:8080":              false,
		"https://127.0.0.1:8080":             false,
	} {
		o, err := ParseOrigin(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if got := a.Allows(o); got != want {
			t.Errorf("Allows(%q) = %v, want %v", in, got, want)
		}
	}
	if _, err := NewAllowlist([]string{"https://ok.be", "http://evil.test", "*"}); err == nil {
		t.Error("bad patterns accepted")
	}
}
