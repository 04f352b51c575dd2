package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// pair is one command and its response from a trace.
type pair struct{ cmd, resp []byte }

// readTrace returns the pairs of a `vcard run --trace` file from byte
// offset on; lines read "C: <hex> R: <hex>".
func readTrace(path string, offset int64) ([]pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil, err
	}
	var pairs []pair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		p, err := parsePair(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		pairs = append(pairs, p)
	}
	return pairs, sc.Err()
}

func parsePair(line string) (pair, error) {
	f := strings.Fields(line)
	if len(f) != 4 || f[0] != "C:" || f[2] != "R:" {
		return pair{}, fmt.Errorf("not a trace line %q", line)
	}
	cmd, err1 := hex.DecodeString(f[1])
	resp, err2 := hex.DecodeString(f[3])
	if err1 != nil || err2 != nil || len(cmd) < 4 || len(resp) < 2 {
		return pair{}, fmt.Errorf("bad APDU pair %q", line)
	}
	return pair{cmd, resp}, nil
}

// name is a command's short name for the table.
func name(p pair) string {
	switch p.cmd[1] {
	case 0x20:
		if len(p.cmd) <= 5 {
			return "status"
		}
		return "VERIFY"
	case 0x22:
		return "MSE"
	case 0x2A:
		return "PSO"
	case 0xC0:
		return "GET RESPONSE"
	case 0xA4:
		return "SELECT"
	case 0xB0:
		return "READ BINARY"
	case 0xE4:
		return "GET CARD DATA"
	case 0xE6:
		return "LOG OFF"
	}
	return fmt.Sprintf("%02X", p.cmd[1])
}

// sequence lists the commands in order, repeats folded: "SELECT, READ
// BINARY ×5, status". A long list becomes totals per command, in order of
// first use.
func sequence(pairs []pair) string {
	var groups []string
	for i := 0; i < len(pairs); {
		j := i
		for j < len(pairs) && name(pairs[j]) == name(pairs[i]) {
			j++
		}
		groups = append(groups, fold(name(pairs[i]), j-i))
		i = j
	}
	if len(groups) <= maxGroups {
		return strings.Join(groups, ", ")
	}
	var names []string
	count := map[string]int{}
	for _, p := range pairs {
		if count[name(p)] == 0 {
			names = append(names, name(p))
		}
		count[name(p)]++
	}
	for i, n := range names {
		names[i] = fold(n, count[n])
	}
	return "in total: " + strings.Join(names, ", ")
}

// maxGroups is the longest sequence the table shows in order.
const maxGroups = 10

func fold(name string, n int) string {
	if n > 1 {
		return fmt.Sprintf("%s ×%d", name, n)
	}
	return name
}

// size returns the position at the end of the trace file.
func size(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
