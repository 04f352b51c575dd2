//go:build unix && !darwin

package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ncruces/zenity"
)

// entryMax bounds what is read from the dialog: a PIN is at most 12
// digits, so anything this long is malformed and only needs to be seen
// as too long.
const entryMax = 64

// entryWidth is where the entry's text is broken into lines: the entry
// dialog does not wrap its text, and a long sentence (the last try's
// warning) would make it wider than a small screen.
const entryWidth = 72

// hiddenEntry runs the dialog program's hidden-text entry itself, not
// through zenity.Entry, so that the PIN goes from the pipe into one
// fixed buffer that the caller wipes, never into a Go string or a
// growing buffer that leaves copies behind.
func hiddenEntry(ctx context.Context, title, text, cancel string) ([]byte, error) {
	prog, err := dialogProgram()
	if err != nil {
		return nil, err
	}
	// zenity reads "_x" as a keyboard shortcut; "__" is a plain "_".
	cmd := exec.CommandContext(ctx, prog, "--entry", "--hide-text", "--title", title,
		"--text", strings.ReplaceAll(wrap(text, entryWidth), "_", "__"), "--ok-label", "OK", "--cancel-label", cancel)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	// A child of the dialog program may keep its output open after ctx
	// killed the program: stop waiting for it shortly after.
	cmd.WaitDelay = 100 * time.Millisecond
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("native UI: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("native UI: starting %s: %w", prog, err)
	}
	stop := context.AfterFunc(ctx, func() { out.(io.Closer).Close() }) // ends the reads below
	buf := make([]byte, entryMax)
	n, _ := io.ReadFull(out, buf)
	drain(out)
	stop()
	werr := cmd.Wait()
	answer := bytes.TrimSuffix(buf[:n], []byte("\n"))
	var exit *exec.ExitError
	switch {
	case werr == nil:
		return answer, nil
	case errors.As(werr, &exit) && exit.ExitCode() == 1: // Cancel, or the window closed
		clear(buf)
		return nil, zenity.ErrCanceled
	}
	clear(buf)
	return nil, fmt.Errorf("%s: %w: %s", prog, werr, strings.TrimSpace(stderr.String()))
}

// drain reads what follows an over-long answer, so the program can exit,
// through a small buffer that is wiped.
func drain(r io.Reader) {
	var scratch [entryMax]byte
	for {
		if _, err := r.Read(scratch[:]); err != nil {
			break
		}
	}
	clear(scratch[:])
}

// wrap breaks each line of text at spaces so that none is longer than
// width characters, unless one word is.
func wrap(text string, width int) string {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		var b strings.Builder
		n := 0
		for j, word := range strings.Split(line, " ") {
			k := utf8.RuneCountInString(word)
			switch {
			case j == 0:
			case n+1+k > width:
				b.WriteByte('\n')
				n = 0
			default:
				b.WriteByte(' ')
				n++
			}
			b.WriteString(word)
			n += k
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// dialogProgram is the first dialog program found, in nativeAvailable's
// order.
func dialogProgram() (string, error) {
	for _, name := range dialogPrograms {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("native UI: no dialog program found (zenity, qarma or matedialog)")
}
