// Command signtable computes the signature table of docs/performance.md;
// bench/sign-table.sh drives it. Every count comes from the virtual
// card's own trace (`vcard run --trace FILE`), so eidbridge and OpenSC are
// measured the same way.
//
//	signtable header
//	signtable minimum APPLET             the row of the minimum signature
//	signtable measure APPLET READER TRACE
//	                                     signs through pcscd in every case of
//	                                     the table (PIN on stdin), one row each
//	signtable row APPLET LABEL TRACE     one row for a whole trace file
//
// APPLET is 1.7 (RSA, SHA-256) or 1.8 (ECDSA P-384, SHA-384). Bytes are
// command plus response bytes, status words included.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/eidbridge/eidbridge/bench/internal/vtrace"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "signtable:", err)
		os.Exit(1)
	}
}

const usage = "usage: signtable header | minimum APPLET | measure APPLET READER TRACE | row APPLET LABEL TRACE"

const header = `| Card | Operation | APDUs | Bytes | APDUs over the minimum | Commands, in order |
|---|---|---|---|---|---|
`

func run(args []string) error {
	switch {
	case len(args) == 1 && args[0] == "header":
		fmt.Print(header)
		return nil
	case len(args) == 2 && args[0] == "minimum":
		p, err := profileOf(args[1])
		if err != nil {
			return err
		}
		fmt.Println(p.row("minimum: MSE:SET, VERIFY, PSO, GET RESPONSE", p.minimum()))
		return nil
	case len(args) == 4 && args[0] == "measure":
		p, err := profileOf(args[1])
		if err != nil {
			return err
		}
		pin, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil {
			return fmt.Errorf("reading the PIN from stdin: %w", err)
		}
		return measure(p, args[2], args[3], strings.TrimSpace(pin))
	case len(args) == 4 && args[0] == "row":
		p, err := profileOf(args[1])
		if err != nil {
			return err
		}
		pairs, err := vtrace.Read(args[3], 0)
		if err != nil {
			return err
		}
		fmt.Println(p.row(args[2], pairs))
		return nil
	}
	return fmt.Errorf("%s", usage)
}
