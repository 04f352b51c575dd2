package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// initBudget is what the package initialisation of the whole binary may
// allocate. Every subcommand pays for it, including the agent that runs
// all day and the nm-host the browser starts for every request, so
// nothing may run there that a subcommand does not need: a password hash
// (the portal's timing dummy was a 19 MiB argon2id hash), parsed
// templates, catalogues. It was 20 MB with the hash and is about 0.2 MB.
const initBudget = 1 << 20

// initLine is one line of GODEBUG=inittrace=1:
// "init PKG @T ms, C ms clock, N bytes, M allocs".
var initLine = regexp.MustCompile(`^init (\S+) @\S+ ms, (\S+) ms clock, (\d+) bytes, (\d+) allocs$`)

type pkgInit struct {
	pkg           string
	bytes, allocs int
}

func TestInitAllocatesLittle(t *testing.T) {
	cmd := exec.Command(e2eBin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("eidbridge version: %v\n%s", err, stderr.String())
	}
	inits, err := parseInitTrace(stderr.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(inits) < 10 {
		t.Fatalf("only %d init lines in the trace; GODEBUG=inittrace=1 not honoured?\n%s", len(inits), stderr.String())
	}
	total, allocs := 0, 0
	for _, in := range inits {
		total += in.bytes
		allocs += in.allocs
	}
	slices.SortFunc(inits, func(a, b pkgInit) int { return b.bytes - a.bytes })
	var top strings.Builder
	for _, in := range inits[:5] {
		fmt.Fprintf(&top, "\n  %s: %d bytes, %d allocs", in.pkg, in.bytes, in.allocs)
	}
	t.Logf("package initialisation: %d packages, %d bytes, %d allocs; the largest:%s", len(inits), total, allocs, top.String())
	if total > initBudget {
		t.Errorf("package initialisation allocates %d bytes, over the budget of %d: make what a subcommand "+
			"does not use lazy (sync.OnceValue); the largest:%s", total, initBudget, top.String())
	}
}

// parseInitTrace reads the init lines of GODEBUG=inittrace=1 output and
// ignores the rest (the command's own stderr).
func parseInitTrace(trace string) ([]pkgInit, error) {
	var inits []pkgInit
	sc := bufio.NewScanner(strings.NewReader(trace))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "init ") {
			continue
		}
		m := initLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("unexpected inittrace line %q", line)
		}
		b, _ := strconv.Atoi(m[3])
		a, _ := strconv.Atoi(m[4])
		inits = append(inits, pkgInit{m[1], b, a})
	}
	return inits, sc.Err()
}

func TestParseInitTrace(t *testing.T) {
	got, err := parseInitTrace("init runtime @0.016 ms, 0.085 ms clock, 0 bytes, 0 allocs\n" +
		"eidbridge dev\n" +
		"init github.com/eidbridge/eidbridge/portal @4.4 ms, 60 ms clock, 19976384 bytes, 660 allocs\n")
	want := []pkgInit{{"runtime", 0, 0}, {"github.com/eidbridge/eidbridge/portal", 19976384, 660}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("parsed %+v, %v; want %+v", got, err, want)
	}
	if _, err := parseInitTrace("init x @1 ms, garbled\n"); err == nil {
		t.Error("a garbled init line was accepted")
	}
}
