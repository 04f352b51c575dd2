package webext_test

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// minNode is the oldest node whose test runner takes a directory and
// has the globals the client uses (structuredClone, btoa; the harness
// supplies crypto): Debian 12's Node.js 18.
const minNode = 18

// needNode finds node; under EIDBRIDGE_PCSC_TESTS=1 (make test) a missing
// or old node fails, since the JavaScript would go untested.
func needNode(t *testing.T) string {
	t.Helper()
	missing := func(why string) {
		if os.Getenv("EIDBRIDGE_PCSC_TESTS") == "1" {
			t.Fatalf("%s: install Node.js %d or later (Debian: apt-get install nodejs) to test the JavaScript", why, minNode)
		}
		t.Skipf("SKIPPING the JavaScript unit tests: %s (Node.js %d or later is needed)", why, minNode)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	out, err := exec.Command(node, "--version").Output()
	m := regexp.MustCompile(`^v(\d+)\.`).FindSubmatch(out)
	if err != nil || m == nil {
		missing("node --version fails")
	}
	if major, _ := strconv.Atoi(string(m[1])); major < minNode {
		missing("node is " + strings.TrimSpace(string(out)))
	}
	return node
}

// TestJavaScript runs the client's and the extension's unit tests.
func TestJavaScript(t *testing.T) {
	node := needNode(t)
	cmd := exec.Command(node, "--test", "jstest")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test jstest: %v\n%s", err, out)
	}
	pass := regexp.MustCompile(`(?m)^# pass (\d+)$`).FindSubmatch(out)
	if pass == nil || string(pass[1]) == "0" || !regexp.MustCompile(`(?m)^# fail 0$`).Match(out) {
		t.Fatalf("node ran no passing tests:\n%s", out)
	}
	t.Logf("node --test: %s tests passed", pass[1])
}
