//go:build linux

package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// setup is one column of the comparison.
type setup struct {
	name      string
	postgres  bool
	instances int
}

var setups = []setup{{"SQLite, 1 instance", false, 1}, {"PostgreSQL, 1 instance", true, 1}, {"PostgreSQL, 2 instances", true, 2}}

// compare runs every setup in turn, rounds times (interleaved, so that a
// slow spell of a shared machine touches all of them alike), and prints
// a table of medians and the two-instance ratio per round.
func compare(c config, rounds int) (string, error) {
	ops := []string{c.op}
	if c.op == "both" {
		ops = []string{"login", "renewal"}
	}
	var b strings.Builder
	b.WriteString("| operation | " + strings.Join(names(), " | ") + " | 2 ÷ 1 (per round) | argon2id alone, 2 ÷ 1 cores |\n|---|---|---|---|---|---|\n")
	for _, op := range ops {
		res := make([][]result, len(setups))
		var hw []float64
		for range rounds {
			hw = append(hw, hashScaling(4*time.Second))
			fmt.Fprintf(os.Stderr, "argon2id alone: 2 cores ÷ 1 = %.2f\n", hw[len(hw)-1])
			for i, s := range setups {
				r, err := run(s.config(c, op))
				if err != nil {
					return "", fmt.Errorf("%s, %s: %w", op, s.name, err)
				}
				fmt.Fprintln(os.Stderr, r)
				res[i] = append(res[i], r)
			}
		}
		b.WriteString(row(op, res, hw))
	}
	return b.String(), nil
}

func (s setup) config(c config, op string) config {
	c.op, c.instances = op, s.instances
	if !s.postgres {
		c.db = ""
	}
	return c
}

func names() []string {
	var n []string
	for _, s := range setups {
		n = append(n, s.name)
	}
	return n
}

// row gives each setup's median rate with its p50/p99, then the ratios
// of two PostgreSQL instances to one, round by round.
func row(op string, res [][]result, hw []float64) string {
	cells := []string{op}
	for _, rs := range res {
		m := medianBy(rs, func(r result) float64 { return r.rate() })
		cells = append(cells, fmt.Sprintf("%.1f %s (p50 %.0f ms, p99 %.0f ms; CPU an op: instances %.1f ms, database %.1f ms, client %.1f ms, rest %.1f ms; stolen %.0f %%)",
			m.rate(), m.unit, ms(m.p50), ms(m.p99), m.perOp(m.cpuInstances), m.perOp(m.cpuDatabase), m.perOp(m.cpuClient),
			m.perOp(m.cpuBusy-m.cpuInstances-m.cpuClient-m.cpuDatabase), m.stolenShare()))
	}
	var ratios, hws []string
	for i := range res[1] {
		ratios = append(ratios, fmt.Sprintf("%.2f", res[2][i].rate()/res[1][i].rate()))
		hws = append(hws, fmt.Sprintf("%.2f", hw[i]))
	}
	return "| " + strings.Join(cells, " | ") + " | " + strings.Join(ratios, ", ") + " | " + strings.Join(hws, ", ") + " |\n"
}

func medianBy(rs []result, key func(result) float64) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int { return int(key(a)*1000 - key(b)*1000) })
	return s[len(s)/2]
}
