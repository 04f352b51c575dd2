package main

import (
	"context"
	"flag"
	"fmt"
	"os"
)

const pinUsage = `usage: eidbridge card pin status|verify|change [--reader NAME] [--pin-fd N]

  status   tries left, without spending one
  verify   check the PIN
  change   change the PIN (current PIN, then the new one twice)

The PIN is typed on the reader's keypad when it has one, otherwise on the
terminal without echo. --pin-fd N reads it from file descriptor N instead,
one PIN per line (for change: the current PIN, then the new one), e.g.
  eidbridge card pin change --pin-fd 3 3<pins.txt
A PIN is never taken from an argument or the environment.`

func cardPIN(_ context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, pinUsage)
		return errUsage
	}
	op := args[0]
	if op != "status" && op != "verify" && op != "change" {
		fmt.Fprintf(os.Stderr, "eidbridge card pin: unknown operation %q\n%s\n", op, pinUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("card pin "+op, flag.ContinueOnError)
	reader := fs.String("reader", "", "reader name (default: the first reader holding a Belgian eID)")
	pinFD := fs.Int("pin-fd", -1, "read the PIN from this file descriptor instead of the terminal")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "eidbridge card pin %s: unexpected argument %q (the PIN is never an argument)\n", op, fs.Arg(0))
		return errUsage
	}
	src, err := newPINSource(*pinFD)
	if err != nil {
		return err
	}
	s, err := openEID(*reader)
	if err != nil {
		return err
	}
	defer s.Close()
	switch op {
	case "status":
		return printPINStatus(s)
	case "verify":
		if err := s.card.VerifyPINWith(src.prompt); err != nil {
			return pinMessage(err)
		}
		fmt.Println("PIN correct.")
	case "change":
		if err := s.card.ChangePINWith(src.prompt); err != nil {
			return pinMessage(err)
		}
		fmt.Println("PIN changed.")
	}
	return nil
}

func printPINStatus(s *session) error {
	st, err := s.card.PINStatus()
	switch {
	case err != nil:
		return err
	case st.Blocked:
		fmt.Println("The PIN is blocked: your municipality can unblock it with your PUK code.")
	case st.Verified:
		fmt.Printf("PIN verified in this card session; %d tries left.\n", st.TriesLeft)
	default:
		fmt.Printf("PIN: %s.\n", triesText(st.TriesLeft))
	}
	return nil
}
