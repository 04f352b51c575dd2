package main

import (
	"crypto"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

func TestParseSignArgs(t *testing.T) {
	a, err := parseSignArgs([]string{"doc.pdf", "--key", "sign", "--hash", "sha384", "--der", "--pin-fd", "3"})
	want := signArgs{role: eid.KeySign, hash: crypto.SHA384, der: true, pinFD: 3, file: "doc.pdf"}
	if err != nil || a != want {
		t.Errorf("flags after FILE: %+v, %v; want %+v", a, err, want)
	}
	a, err = parseSignArgs([]string{"--key", "auth", "--reader", "R 0", "f"})
	want = signArgs{role: eid.KeyAuth, hash: crypto.SHA256, pinFD: -1, reader: "R 0", file: "f"}
	if err != nil || a != want {
		t.Errorf("defaults: %+v, %v; want %+v", a, err, want)
	}
	bad := map[string][]string{
		"--key auth|sign is required": {"f"},
		"want auth or sign":           {"--key", "nonrep", "f"},
		"want sha256":                 {"--key", "auth", "--hash", "md5", "f"},
		"exactly one FILE":            {"--key", "auth", "a", "b"},
		"got 0":                       {"--key", "auth"},
		"not defined: -pin":           {"--key", "auth", "--pin", "1234", "f"},
	}
	for want, args := range bad {
		if _, err := parseSignArgs(args); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: %v, want an error with %q", args, err, want)
		}
	}
}
