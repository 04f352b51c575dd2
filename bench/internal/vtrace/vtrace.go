// Package vtrace reads the APDU trace that `eidbridge vcard run --trace`
// writes, one "C: <hex> R: <hex>" line per command the card answered,
// for the bench commands that count what crossed the card's contacts.
package vtrace

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// Pair is one command and the card's response, status word included.
type Pair struct{ Cmd, Resp []byte }

// Bytes is the command plus response length.
func (p Pair) Bytes() int { return len(p.Cmd) + len(p.Resp) }

// Read returns the pairs of the trace file at path from byte offset on.
// A line that is not a trace line fails with its number counted from
// offset.
func Read(path string, offset int64) ([]Pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil, err
	}
	var pairs []Pair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for line := 1; sc.Scan(); line++ {
		p, err := Parse(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		pairs = append(pairs, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return pairs, nil
}

// Parse reads one trace line.
func Parse(line string) (Pair, error) {
	f := strings.Fields(line)
	if len(f) != 4 || f[0] != "C:" || f[2] != "R:" {
		return Pair{}, fmt.Errorf("not a trace line %q", line)
	}
	cmd, err1 := hex.DecodeString(f[1])
	resp, err2 := hex.DecodeString(f[3])
	if err1 != nil || err2 != nil || len(cmd) < 4 || len(resp) < 2 {
		return Pair{}, fmt.Errorf("bad APDU pair %q", line)
	}
	return Pair{cmd, resp}, nil
}
