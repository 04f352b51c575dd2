package main

import (
	"strings"
	"testing"
)

// The portal checks revocation unless told "off"; a typo is an error,
// not a portal that checks nothing.
func TestPortalRevocationFlag(t *testing.T) {
	for _, mode := range []string{"ocsp", "crl"} {
		if c, err := revocationChecker(mode, ""); err != nil || c == nil {
			t.Errorf("%s: %v, %v", mode, c, err)
		}
	}
	if c, err := revocationChecker("off", ""); err != nil || c != nil {
		t.Errorf("off: %v, %v", c, err)
	}
	if _, err := revocationChecker("OCSP ", ""); err == nil || !strings.Contains(err.Error(), "want ocsp, crl or off") {
		t.Errorf("a typo: %v", err)
	}
}
