// Command eidbridge is the one binary of the project: the card tools, the
// virtual card, and (later) the agent. Each subcommand lives in its own
// file and registers itself in init.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one top-level subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// errUsage makes main print the usage and exit 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

func run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage()
		return 2
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(os.Stderr, "eidbridge: unknown command %q\n", args[0])
		usage()
		return 2
	}
	if err := c.run(ctx, args[1:]); err != nil {
		if errors.Is(err, errUsage) {
			return 2
		}
		fmt.Fprintf(os.Stderr, "eidbridge %s: %v\n", c.name, err)
		return 1
	}
	return 0
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: eidbridge COMMAND [ARGS]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, commands[n].summary)
	}
}

// stringsFlag collects a repeatable string flag.
type stringsFlag []string

func (p *stringsFlag) String() string     { return strings.Join(*p, ",") }
func (p *stringsFlag) Set(s string) error { *p = append(*p, s); return nil }

// subcommand is one verb of a command group such as `card read`.
type subcommand func(ctx context.Context, args []string) error

// dispatch runs the subcommand named by args[0], or prints usage.
func dispatch(ctx context.Context, group, usage string, subs map[string]subcommand, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, usage)
		return errUsage
	}
	sub, ok := subs[args[0]]
	if !ok {
		fmt.Fprintf(os.Stderr, "eidbridge %s: unknown subcommand %q\n%s\n", group, args[0], usage)
		return errUsage
	}
	return sub(ctx, args[1:])
}
