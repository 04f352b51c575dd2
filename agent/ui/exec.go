package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"time"
)

// Exec asks an external command, for kiosks and for automated tests of
// the agent. The command runs once per question. It reads exactly one
// JSON object on stdin, the Question, writes one JSON object on stdout
// and exits:
//
//	{"pin": "1234"}   a PIN question: 4 to 12 digits, no JSON escapes
//	{"allow": true}   a consent question; for a PINPad notice, "seen";
//	                  for a site question, this time only
//	{"allow": "always"} a site question: remember the site
//	{"cancel": true}  any question
//
// Anything else — a non-zero exit, output that is not exactly one of
// these, a PIN that is not 4 to 12 digits, {"allow": false}, more than
// 4 KiB of output — is ErrCancelled, and the reason is logged (never the
// PIN nor the output, which may hold it).
//
// A PINPad notice is shown until ctx ends: a command that acknowledges
// it returns at once, but Ask still returns only when ctx ends (or
// with ErrCancelled if the command cancels). Such a command may also
// just wait and be killed.
//
// When ctx ends the command is killed: on Unix its whole process group
// (it runs in its own), elsewhere the process itself. The command's
// stderr is the agent's, for diagnostics.
type Exec struct {
	Args []string     // the program and its arguments
	Log  *slog.Logger // where cancel reasons go; nil: slog.Default()
}

// maxExecOutput bounds what a command may write: an answer is a few
// dozen bytes, and the output is kept in one fixed buffer.
const maxExecOutput = 4096

// NewExec parses COMMAND of an exec:COMMAND setting (see splitCommand)
// and checks that its program can be found.
func NewExec(command string) (*Exec, error) {
	args, err := splitCommand(command)
	if err != nil {
		return nil, fmt.Errorf("exec UI: %w", err)
	}
	if len(args) == 0 {
		return nil, errors.New("exec UI: no command after exec:")
	}
	if _, err := exec.LookPath(args[0]); err != nil {
		return nil, fmt.Errorf("exec UI: cannot run %q: %w", args[0], err)
	}
	return &Exec{Args: args}, nil
}

// Ask runs the command for q.
func (e *Exec) Ask(ctx context.Context, q Question) ([]byte, error) {
	if err := checkQuestion(q); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctxErr(ctx)
	}
	pin, err := e.run(ctx, q)
	if err != nil {
		if errors.Is(err, ErrCancelled) {
			e.logger().Info("exec UI: treated as cancelled", "origin", q.Origin, "kind", q.Kind, "reason", err)
		}
		return nil, err
	}
	if q.Kind == KindPIN && q.PINPad {
		<-ctx.Done() // acknowledged; the notice lasts until the reader is done
		return nil, ctxErr(ctx)
	}
	return pin, nil
}

func (e *Exec) logger() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}

// run starts the command, collects its answer and checks it against q.
func (e *Exec) run(ctx context.Context, q Question) ([]byte, error) {
	if len(e.Args) == 0 {
		return nil, errors.New("exec UI: no command")
	}
	question, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("exec UI: encoding the question: %w", err)
	}
	// stdout is a pipe of ours, so the answer is read straight into one
	// buffer that is wiped, not through os/exec's copying buffers.
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("exec UI: %w", err)
	}
	cmd := exec.CommandContext(ctx, e.Args[0], e.Args[1:]...)
	cmd.Stdin = bytes.NewReader(append(question, '\n'))
	cmd.Stdout, cmd.Stderr = w, os.Stderr
	cmd.WaitDelay = time.Second // stdin's copier must not outlive a killed command
	ownProcessGroup(cmd)
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("exec UI: starting %s: %w", e.Args[0], err)
	}
	done, abandon := collect(r)
	defer close(abandon)
	select {
	case <-ctx.Done():
		cmd.Wait() // CommandContext kills the command
		return nil, ctxErr(ctx)
	case out := <-done:
		defer out.wipe()
		return finish(ctx, cmd, q, out)
	}
}

// finish waits for the command that closed its stdout and judges it.
func finish(ctx context.Context, cmd *exec.Cmd, q Question, out *output) ([]byte, error) {
	if out.overflow {
		killProcess(cmd)
		cmd.Wait()
		return nil, cancelledBecause(fmt.Sprintf("the command wrote more than %d bytes", maxExecOutput))
	}
	werr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return nil, ctxErr(ctx)
	case werr != nil:
		return nil, cancelledBecause(fmt.Sprintf("the command failed (%v)", werr))
	case out.err != nil:
		return nil, cancelledBecause(fmt.Sprintf("reading the command's output: %v", out.err))
	}
	return parseAnswer(q, out.buf[:out.n])
}
