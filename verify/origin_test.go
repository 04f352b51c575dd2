package verify_test

import (
	"crypto/x509"
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/verify"
)

func TestNormalizeOrigin(t *testing.T) {
	good := map[string]string{
		"https://example.com":        "https://example.com",
		"https://example.com/":       "https://example.com",
		"HTTPS://WWW.Example.COM":    "https://www.example.com",
		"https://example.com:443":    "https://example.com",
		"https://example.com:8443":   "https://example.com:8443",
		"https://xn--bcher-kva.be":   "https://xn--bcher-kva.be",
		"https://[2001:db8::1]:8443": "https://[2001:db8::1]:8443",
		"https://192.0.2.7":          "https://192.0.2.7",
		"http://localhost:8080":      "http://localhost:8080",
		"http://127.0.0.1":           "http://127.0.0.1",
		"http://[::1]:80":            "http://[::1]",
		"http://app.localhost:3000":  "http://app.localhost:3000",
	}
	for in, want := range good {
		got, err := verify.NormalizeOrigin(in)
		if err != nil || got != want {
			t.Errorf("NormalizeOrigin(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{
		"", "example.com", "//example.com", "https://", "https://example.com/login",
		"https://example.com?x=1", "https://example.com#top", "https://user@example.com",
		"http://example.com", "ftp://example.com", "https://example.com:0", "https://example.com:65536",
		"https://example.com:08443", "https://example.com:", "https://bücher.be", "https://example.com//",
		"null", "https://exa mple.com",
	}
	for _, in := range bad {
		if got, err := verify.NormalizeOrigin(in); !errors.Is(err, verify.ErrOrigin) {
			t.Errorf("NormalizeOrigin(%q) = %q, %v; want ErrOrigin", in, got, err)
		}
	}
}

func TestNewValidatorConfig(t *testing.T) {
	roots := x509.NewCertPool()
	if _, err := verify.NewValidator(verify.Config{Origin: "https://example.com/path", Roots: roots}); !errors.Is(err, verify.ErrOrigin) {
		t.Errorf("bad origin: %v", err)
	}
	if _, err := verify.NewValidator(verify.Config{Origin: testOrigin}); !errors.Is(err, verify.ErrConfig) {
		t.Errorf("no roots: %v", err)
	}
	v, err := verify.NewValidator(verify.Config{Origin: "https://Example.com:443", Roots: roots})
	if err != nil || v.Origin() != testOrigin {
		t.Errorf("origin %v, %v", v, err)
	}
}
