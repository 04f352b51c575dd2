package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

// countTrace counts the APDU pairs of a `vcard run --trace` file, whose
// lines read "C: <hex> R: <hex>".
func countTrace(path string) (Tally, error) {
	f, err := os.Open(path)
	if err != nil {
		return Tally{}, err
	}
	defer f.Close()
	var t Tally
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for line := 1; sc.Scan(); line++ {
		n, err := pairBytes(sc.Text())
		if err != nil {
			return Tally{}, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		t.APDUs++
		t.Bytes += n
	}
	if err := sc.Err(); err != nil {
		return Tally{}, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// pairBytes returns the command plus response length of one trace line.
func pairBytes(line string) (int, error) {
	f := strings.Fields(line)
	if len(f) != 4 || f[0] != "C:" || f[2] != "R:" {
		return 0, fmt.Errorf("not a trace line %q", line)
	}
	cmd, err1 := hex.DecodeString(f[1])
	resp, err2 := hex.DecodeString(f[3])
	if err1 != nil || err2 != nil || len(cmd) < 4 || len(resp) < 2 {
		return 0, fmt.Errorf("bad APDU pair %q", line)
	}
	return len(cmd) + len(resp), nil
}
