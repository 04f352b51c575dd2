// Package doctor checks everything eidbridge needs, from the PC/SC
// service to the browsers' native-messaging registrations, and explains
// each problem in plain words with what to do about it. Every check
// reads a snapshot gathered by a probe (Env), so each failure can be
// tested with a fake; Real gathers them on this machine.
package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Status of one check.
type Status string

const (
	OK   Status = "ok"
	Warn Status = "warn" // works, but the citizen should know or act soon
	Fail Status = "fail" // eidbridge cannot work until fixed
	Skip Status = "skip" // not checked: an earlier check failed, or not applicable
)

// Result is one check's finding.
type Result struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status Status `json:"status"`
	// Detail says what was found, in plain words.
	Detail string `json:"detail"`
	// Fix says what to do; empty when there is nothing to do.
	Fix string `json:"fix,omitempty"`
}

// Report is a whole run, in check order.
type Report struct {
	Version string   `json:"version"`
	OS      string   `json:"os"`
	Results []Result `json:"results"`
}

// Failed counts the failed checks.
func (r *Report) Failed() int {
	n := 0
	for _, x := range r.Results {
		if x.Status == Fail {
			n++
		}
	}
	return n
}

// Find returns the result with id.
func (r *Report) Find(id string) (Result, bool) {
	for _, x := range r.Results {
		if x.ID == id {
			return x, true
		}
	}
	return Result{}, false
}

// WriteJSON writes the report for support desks.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

var marks = map[Status]string{OK: "[ ok ]", Warn: "[warn]", Fail: "[FAIL]", Skip: "[skip]"}

// WriteText writes one block per check, the fix indented below it.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "eidbridge doctor (version %s, %s)\n\n", r.Version, r.OS)
	for _, x := range r.Results {
		fmt.Fprintf(&b, "%s %s: %s\n", marks[x.Status], x.Title, x.Detail)
		if x.Fix != "" {
			fmt.Fprintf(&b, "       fix: %s\n", x.Fix)
		}
	}
	if n := r.Failed(); n > 0 {
		fmt.Fprintf(&b, "\n%d problem(s) found: fix the ones marked FAIL, top first (a later check may depend on an earlier one).\n", n)
	} else {
		b.WriteString("\nEverything eidbridge needs is in place.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
