package main

import (
	"flag"
	"fmt"
	"os"
)

// adminVerb is one verb of `portal officer` or `portal service`: the
// flags every verb takes (where the portal's state is) and its own.
type adminVerb struct {
	fs          *flag.FlagSet
	usage       string
	data, dbURL *string
}

func newAdminVerb(name, usage string) adminVerb {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, usage) }
	return adminVerb{fs: fs, usage: usage,
		data:  fs.String("data", "portal-data", "the portal's data directory"),
		dbURL: fs.String("db", "", "the portal's PostgreSQL database, postgres://… (default: SQLite in --data)")}
}

// parse reads args (the verb, then flags and arguments) and checks the
// verb is one of arity's with the number of arguments it wants.
func (v adminVerb) parse(args []string, arity map[string]int) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, v.usage)
		return errUsage
	}
	if err := v.fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if want, ok := arity[args[0]]; !ok || v.fs.NArg() != want {
		fmt.Fprintln(os.Stderr, v.usage)
		return errUsage
	}
	return nil
}
