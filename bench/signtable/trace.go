package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/eidbridge/eidbridge/bench/internal/vtrace"
)

// name is a command's short name for the table.
func name(p vtrace.Pair) string {
	switch p.Cmd[1] {
	case 0x20:
		if len(p.Cmd) <= 5 {
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
	return fmt.Sprintf("%02X", p.Cmd[1])
}

// sequence lists the commands in order, repeats folded: "SELECT, READ
// BINARY ×5, status". A long list becomes totals per command, in order of
// first use.
func sequence(pairs []vtrace.Pair) string {
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
