//go:build linux

// Command portalscale measures the token portal as it runs in production:
// separate `eidbridge portal` processes on one database, each held to one
// core (taskset, GOMAXPROCS=1), requests handed to them in turn as a
// round-robin load balancer would. It reports operations per second, p50
// and p99 latency, and where the machine's CPU went per operation (the
// instances, this client, the rest: the database).
//
//	portalscale -eidbridge BIN -op login|renewal [-db postgres://…] [-instances N]
//
// Without -db the one instance uses SQLite in its data directory. With
// -db (an administrator's URL, as scripts/testenv.sh pg-up prints) it
// creates a database of its own and drops it at the end. Each client is
// one citizen with a virtual card of their own and an account made
// through the portal's online request; a renewal is the whole online
// request of a known citizen (page, challenge, eID proof, new token).
// bench/portal-scale.sh runs the comparison of docs/performance.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

// config is the command line.
type config struct {
	bin       string
	db        string
	op        string
	instances int
	clients   int // per instance
	warmup    time.Duration
	duration  time.Duration
	pin       bool
}

func main() {
	var c config
	flag.StringVar(&c.bin, "eidbridge", "", "the eidbridge binary to run (required)")
	flag.StringVar(&c.db, "db", "", "PostgreSQL administrator URL (default: SQLite, one instance)")
	flag.StringVar(&c.op, "op", "login", "what to measure: login or renewal (with -compare also both)")
	flag.IntVar(&c.instances, "instances", 1, "portal instances")
	flag.IntVar(&c.clients, "clients", 4, "clients per instance, each a citizen of their own")
	flag.DurationVar(&c.warmup, "warmup", 2*time.Second, "load before measuring")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "how long to measure")
	flag.BoolVar(&c.pin, "pin", true, "hold instance i to core i (taskset) with GOMAXPROCS=1")
	rounds := flag.Int("compare", 0, "compare SQLite and one and two PostgreSQL instances, this many rounds (needs -db; -op both for both)")
	flag.Parse()
	if *rounds > 0 {
		os.Exit(compareMain(c, *rounds))
	}
	if err := c.check(); err != nil {
		fmt.Fprintln(os.Stderr, "portalscale:", err)
		os.Exit(2)
	}
	res, err := run(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "portalscale:", err)
		os.Exit(1)
	}
	fmt.Println(res)
}

// compareMain runs -compare: op may be "both" there.
func compareMain(c config, rounds int) int {
	checked := c
	if c.op == "both" {
		checked.op = "login"
	}
	if err := checked.check(); err != nil || c.db == "" {
		fmt.Fprintln(os.Stderr, "portalscale: -compare needs -db postgres://… and valid flags:", err)
		return 2
	}
	table, err := compare(c, rounds)
	if err != nil {
		fmt.Fprintln(os.Stderr, "portalscale:", err)
		return 1
	}
	fmt.Print(table)
	return 0
}

func (c config) check() error {
	switch {
	case c.bin == "":
		return fmt.Errorf("-eidbridge is required")
	case c.op != "login" && c.op != "renewal":
		return fmt.Errorf("-op %q: want login or renewal", c.op)
	case c.instances < 1 || c.clients < 1:
		return fmt.Errorf("-instances and -clients must be at least 1")
	case c.db == "" && c.instances > 1:
		return fmt.Errorf("several instances need a shared database: give -db postgres://…")
	case c.duration <= 0 || c.warmup < 0:
		return fmt.Errorf("-duration must be positive and -warmup not negative")
	}
	return nil
}
