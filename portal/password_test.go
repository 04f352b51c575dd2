package portal

import (
	"strings"
	"testing"
)

// The unknown-user check costs what a known user's costs: the dummy hash
// carries the parameters, salt and sum sizes of a real one, and matches
// no password.
func TestDummyHashLikeARealOne(t *testing.T) {
	genuine, err := hashPassword("a real password")
	if err != nil {
		t.Fatal(err)
	}
	d := dummyHash()
	if d != dummyHash() {
		t.Error("the dummy hash changes between calls")
	}
	rp, dp := strings.Split(genuine, "$"), strings.Split(d, "$")
	if len(dp) != len(rp) || strings.Join(dp[:4], "$") != strings.Join(rp[:4], "$") ||
		len(dp[4]) != len(rp[4]) || len(dp[5]) != len(rp[5]) {
		t.Fatalf("dummy %q is not shaped like the real %q", d, genuine)
	}
	for _, pw := range []string{"no such user", "a real password", ""} {
		if ok, err := checkPassword(d, pw); ok || err != nil {
			t.Errorf("the dummy hash with %q: %v, %v; want false, nil", pw, ok, err)
		}
	}
}
