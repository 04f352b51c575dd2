//go:build unix

package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// script writes a shell script into a fresh directory and returns an
// Exec that runs it, with the log it writes to. The script finds its
// directory in $D.
func script(t *testing.T, body string) (*Exec, *bytes.Buffer, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "ask")
	text := "#!/bin/sh\nD=$(dirname \"$0\")\n" + body + "\n"
	if err := os.WriteFile(path, []byte(text), 0o700); err != nil {
		t.Fatal(err)
	}
	log := &bytes.Buffer{}
	e, err := NewExec("'" + path + "' --from-test")
	if err != nil {
		t.Fatalf("NewExec: %v", err)
	}
	e.Log = slog.New(slog.NewTextHandler(log, nil))
	return e, log, dir
}

func ask(t *testing.T, e *Exec, q Question) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return e.Ask(ctx, q)
}

// The command gets exactly the question as one JSON object and its
// arguments; its script fails unless both are right.
func TestExecPINReadsQuestion(t *testing.T) {
	q := Question{Kind: KindPIN, Origin: "tax.example.be:8443", Purpose: PurposeSign, Holder: "Alice Test", TriesLeft: 2, WrongPIN: true}
	want, _ := json.Marshal(q)
	e, _, _ := script(t, `[ "$1" = --from-test ] || exit 8
in=$(cat)
[ "$in" = '`+string(want)+`' ] || exit 9
echo '{"pin":"5678"}'`)
	pin, err := ask(t, e, q)
	if err != nil || string(pin) != "5678" {
		t.Fatalf("Ask = %q, %v; want 5678", pin, err)
	}
	if !strings.Contains(string(want), `"wrongPin":true`) || !strings.Contains(string(want), `"triesLeft":2`) {
		t.Errorf("question JSON lacks fields: %s", want)
	}
}

func TestExecStdinEndsAfterOneObject(t *testing.T) {
	e, _, dir := script(t, `cat > "$D/stdin"; echo '{"allow":true}'`)
	if _, err := ask(t, e, consentQ); err != nil {
		t.Fatalf("Ask: %v", err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "stdin"))
	want, _ := json.Marshal(consentQ)
	if err != nil || string(got) != string(want)+"\n" {
		t.Errorf("stdin = %q, %v; want %q and a newline", got, err, want)
	}
}

func TestExecAnswers(t *testing.T) {
	tests := []struct {
		name, body string
		q          Question
		wantErr    error
		reason     string
	}{
		{"consent allowed", `echo '{"allow":true}'`, consentQ, nil, ""},
		{"stdin not read", `echo '{"allow": true}'`, consentQ, nil, ""},
		{"refused", `echo '{"allow":false}'`, consentQ, ErrCancelled, "did not allow"},
		{"cancel", `cat >/dev/null; echo '{"cancel":true}'`, pinQ, ErrCancelled, ""},
		{"garbage", `echo 'PIN is 918273'`, pinQ, ErrCancelled, "not one JSON object"},
		{"bad PIN", `echo '{"pin":"918273x"}'`, pinQ, ErrCancelled, "4 to 12 digits"},
		{"non-zero exit", `echo '{"pin":"918273"}'; exit 3`, pinQ, ErrCancelled, "exit status 3"},
		{"killed", `echo '{"pin":"918273"}'; kill -9 $$`, pinQ, ErrCancelled, "killed"},
		{"no output", `exit 0`, consentQ, ErrCancelled, "not one JSON object"},
		{"notice cancelled", `echo '{"cancel":true}'`, noticeQ, ErrCancelled, ""},
		{"notice ended", `exit 0`, noticeQ, ErrCancelled, "not one JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, log, _ := script(t, tt.body)
			pin, err := ask(t, e, tt.q)
			if pin != nil || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Ask = %q, %v; want %v", pin, err, tt.wantErr)
			}
			if tt.wantErr == nil {
				return
			}
			if !strings.Contains(err.Error(), tt.reason) || !strings.Contains(log.String(), tt.reason) {
				t.Errorf("error %q / log %q: want the reason %q in both", err, log, tt.reason)
			}
			if strings.Contains(err.Error()+log.String(), "918273") {
				t.Errorf("the PIN leaked: error %q, log %q", err, log)
			}
		})
	}
}

func TestExecOutputCap(t *testing.T) {
	answer := `{"pin":"1234"}`
	for _, size := range []int{maxExecOutput, maxExecOutput + 1, 1 << 20} {
		e, _, dir := script(t, `cat "$D/out"`)
		out := answer + strings.Repeat(" ", size-len(answer))
		if err := os.WriteFile(filepath.Join(dir, "out"), []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		pin, err := ask(t, e, pinQ)
		if size <= maxExecOutput {
			if err != nil || string(pin) != "1234" {
				t.Errorf("%d bytes: %q, %v; want the PIN", size, pin, err)
			}
			continue
		}
		if !errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "more than 4096 bytes") {
			t.Errorf("%d bytes: %q, %v; want ErrCancelled for the size", size, pin, err)
		}
	}
}

// Endless output is cut off at once, not when ctx ends.
func TestExecEndlessOutput(t *testing.T) {
	e, _, _ := script(t, `exec yes '{"pin":"1234"}'`)
	_, err := ask(t, e, pinQ)
	if !errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("Ask = %v; want ErrCancelled for the size", err)
	}
}

// A command past the deadline is killed, with the children it started.
func TestExecTimeoutKillsProcessGroup(t *testing.T) {
	e, _, dir := script(t, `echo $$ > "$D/pid.tmp"; mv "$D/pid.tmp" "$D/pid"
sleep 60 &
echo $! > "$D/child.tmp"; mv "$D/child.tmp" "$D/child"
wait`)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	pin, err := e.Ask(ctx, pinQ)
	if pin != nil || err != ErrTimeout {
		t.Fatalf("Ask = %q, %v; want ErrTimeout", pin, err)
	}
	for _, name := range []string{"pid", "child"} {
		pid := readPID(t, filepath.Join(dir, name))
		waitGone(t, name, pid)
	}
}

func TestExecCancelReturnsContextError(t *testing.T) {
	for _, q := range []Question{pinQ, noticeQ} {
		e, _, dir := script(t, `touch "$D/started"; exec sleep 60`)
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			waitFile(t, filepath.Join(dir, "started"))
			cancel()
		}()
		if pin, err := e.Ask(ctx, q); pin != nil || err != context.Canceled {
			t.Errorf("%v: Ask = %q, %v; want context.Canceled", q.Kind, pin, err)
		}
	}
}

// An acknowledged PINPad notice lasts until ctx ends.
func TestExecNoticeAcknowledged(t *testing.T) {
	e, _, dir := script(t, `echo '{"allow":true}'; touch "$D/answered"`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	result := make(chan error, 1)
	go func() {
		_, err := e.Ask(ctx, noticeQ)
		result <- err
	}()
	waitFile(t, filepath.Join(dir, "answered"))
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-result:
		t.Fatalf("Ask returned %v before ctx ended", err)
	default:
	}
	cancel()
	if err := <-result; err != context.Canceled {
		t.Errorf("Ask = %v; want context.Canceled", err)
	}
}

func TestExecRunsNothingForBadQuestions(t *testing.T) {
	e, _, dir := script(t, `touch "$D/ran"; echo '{"allow":true}'`)
	if _, err := ask(t, e, Question{Kind: "photo", Origin: "a.be"}); err == nil || !strings.Contains(err.Error(), "unknown question kind") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := ask(t, e, Question{Kind: KindConsent}); err == nil || !strings.Contains(err.Error(), "no origin") {
		t.Errorf("no origin: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Ask(ctx, consentQ); err != context.Canceled {
		t.Errorf("ended ctx: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ran")); err == nil {
		t.Error("the command ran")
	}
}

func TestExecProgramGone(t *testing.T) {
	e, _, dir := script(t, `echo '{"allow":true}'`)
	os.RemoveAll(dir)
	_, err := ask(t, e, consentQ)
	if err == nil || errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "starting") {
		t.Errorf("Ask = %v; want a start error that is not a cancel", err)
	}
}
