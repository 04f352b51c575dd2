package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/demo"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

const (
	answerOrigin = "http://127.0.0.1:8443"
	answerPIN    = "582039" // not the default, so the answer must come from the profile
	answerHolder = demo.CitizenGivenNames + " " + demo.CitizenSurname
)

// answerProfile is a demo card profile with answerPIN.
func answerProfile(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := virtualcard.Init(dir, virtualcard.Options{Surname: demo.CitizenSurname, GivenNames: demo.CitizenGivenNames, PIN: answerPIN})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// runAnswerer runs the hidden answerer with stdin; it returns stdout,
// stderr and the exit code.
func runAnswerer(t *testing.T, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e2eBin, append([]string{"demo", answerVerb}, append(args, dir)...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Run()
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

func question(mod func(*ui.Question)) string {
	q := ui.Question{Kind: ui.KindPIN, Origin: answerOrigin, Purpose: ui.PurposeAuthenticate,
		Holder: answerHolder, TriesLeft: 3}
	if mod != nil {
		mod(&q)
	}
	b, _ := json.Marshal(q)
	return string(b)
}

func TestDemoAnswerer(t *testing.T) {
	dir := answerProfile(t)
	for _, c := range []struct {
		name, stdin, want string
	}{
		{"pin", question(nil), `{"pin":"` + answerPIN + `"}`},
		{"consent", question(func(q *ui.Question) { q.Kind, q.Items = ui.KindConsent, []string{"identity"} }), `{"allow":true}`},
		{"pinpad notice", question(func(q *ui.Question) { q.PINPad = true }), `{"allow":true}`},
		{"other site", question(func(q *ui.Question) { q.Origin = "http://127.0.0.1:9999" }), `{"cancel":true}`},
		{"other card", question(func(q *ui.Question) { q.Holder = "Jan Peeters" }), `{"cancel":true}`},
		{"other card, consent", question(func(q *ui.Question) { q.Kind, q.Holder = ui.KindConsent, "Jan Peeters" }), `{"cancel":true}`},
		{"PIN refused", question(func(q *ui.Question) { q.WrongPIN, q.TriesLeft = true, 2 }), `{"cancel":true}`},
		{"tries lost", question(func(q *ui.Question) { q.TriesLeft = 1 }), `{"cancel":true}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runAnswerer(t, dir, c.stdin, "--origin", answerOrigin)
			if code != 0 || out != c.want {
				t.Fatalf("exit %d, answer %q, want %q (stderr %q)", code, out, c.want, errOut)
			}
			if strings.Contains(errOut, answerPIN) {
				t.Errorf("the PIN is on stderr: %q", errOut)
			}
		})
	}
	// An --allow-origin site of the demo comes as one more --origin.
	other := question(func(q *ui.Question) { q.Origin = "http://localhost:3000" })
	out, errOut, _ := runAnswerer(t, dir, other, "--origin", answerOrigin, "--origin", "http://localhost:3000")
	if out != `{"pin":"`+answerPIN+`"}` {
		t.Errorf("a second --origin is not answered for: %q (stderr %q)", out, errOut)
	}
}

func TestDemoAnswererRefusesGarbage(t *testing.T) {
	dir := answerProfile(t)
	for _, c := range []struct {
		name, stdin, want string
		args              []string
	}{
		{"empty", "", "not a JSON question", nil},
		{"not JSON", "1234\n", "not a JSON question", nil},
		{"array", "[]", "not a JSON question", nil},
		{"unknown field", `{"kind":"pin","origin":"` + answerOrigin + `","pin":"1234"}`, "not a JSON question", nil},
		{"two questions", question(nil) + question(nil), "followed by more data", nil},
		{"unknown kind", question(func(q *ui.Question) { q.Kind = "password" }), `unknown question kind "password"`, nil},
		{"no site", question(func(q *ui.Question) { q.Origin = "" }), "names no site", nil},
		{"huge", `{"kind":"pin","holder":"` + strings.Repeat("a", demo.MaxQuestion) + `"}`, "longer than", nil},
		{"no --origin", question(nil), "--origin is required", []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if args == nil {
				args = []string{"--origin", answerOrigin}
			}
			out, errOut, code := runAnswerer(t, dir, c.stdin, args...)
			if code != 1 || out != "" || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, nothing on stdout, an error saying %q", code, out, errOut, c.want)
			}
		})
	}
	if _, errOut, code := runAnswerer(t, t.TempDir(), question(nil), "--origin", answerOrigin); code != 1 ||
		!strings.Contains(errOut, "no card profile") {
		t.Errorf("a directory without a profile: exit %d, %q", code, errOut)
	}
}

// TestDemoAnswererThroughExecUI checks the answers against the agent's
// own reader of them, ui.Exec, as --auto-pin wires it.
func TestDemoAnswererThroughExecUI(t *testing.T) {
	dir := answerProfile(t)
	u := &ui.Exec{Args: []string{e2eBin, "demo", answerVerb, "--origin", answerOrigin, dir}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	q := ui.Question{Kind: ui.KindPIN, Origin: answerOrigin, Purpose: ui.PurposeSign, Holder: answerHolder, TriesLeft: 3}
	if pin, err := u.Ask(ctx, q); err != nil || string(pin) != answerPIN {
		t.Errorf("PIN question: %v, right PIN %v", err, string(pin) == answerPIN)
	}
	q.Kind = ui.KindConsent
	if _, err := u.Ask(ctx, q); err != nil {
		t.Errorf("consent: %v", err)
	}
	q.Holder = "Someone Else"
	if _, err := u.Ask(ctx, q); !errors.Is(err, ui.ErrCancelled) {
		t.Errorf("another card's consent: %v, want cancelled", err)
	}
}
