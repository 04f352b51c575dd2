// Command apdutable computes the columns of the APDU table in
// docs/performance.md; bench/apdu-table.sh drives it.
//
//	apdutable lower FIXTURE_DIR   the lower bound of a full read of the card
//	apdutable count TRACE_FILE    APDUs and bytes in a `vcard run --trace` file
//	apdutable row NAME FIXTURE_DIR OURS_TRACE OPENSC_TRACE
//	                              one Markdown table row (apdutable header: its header)
//
// Bytes are command plus response bytes, status words included, as they
// cross the card's contacts.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "apdutable:", err)
		os.Exit(1)
	}
}

const usage = "usage: apdutable lower FIXTURE_DIR | count TRACE | header | row NAME FIXTURE_DIR OURS_TRACE OPENSC_TRACE"

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	switch {
	case args[0] == "lower" && len(args) == 2:
		lb, err := lowerBoundOf(args[1])
		if err != nil {
			return err
		}
		fmt.Printf("files=%d apdus=%d bytes=%d\n", lb.Files, lb.APDUs, lb.Bytes)
	case args[0] == "count" && len(args) == 2:
		c, err := countTrace(args[1])
		if err != nil {
			return err
		}
		fmt.Printf("apdus=%d bytes=%d\n", c.APDUs, c.Bytes)
	case args[0] == "header" && len(args) == 1:
		fmt.Print(header)
	case args[0] == "row" && len(args) == 5:
		r, err := rowOf(args[1], args[2], args[3], args[4])
		if err != nil {
			return err
		}
		fmt.Println(r)
	default:
		return fmt.Errorf("%s", usage)
	}
	return nil
}
