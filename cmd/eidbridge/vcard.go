package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/eid/virtualcard/vpcd"
)

func init() {
	register(command{name: "vcard", summary: "create and run a virtual Belgian eID card (test PKI)", run: runVcard})
}

const vcardUsage = `usage:
  eidbridge vcard init DIR [--applet 1.7|1.8] [--surname S] [--given-names G]
                           [--national-number N] [--pin 1234] [...]   (-h for all)
  eidbridge vcard unblock DIR
  eidbridge vcard run DIR [--vpcd 127.0.0.1:35963] [--trace FILE]
      SIGUSR1 removes the card and re-inserts it; SIGINT/SIGTERM stop
  eidbridge vcard revoke DIR [--reason key-compromise] [--pki PKIDIR]
      revokes the card's authentication and signature certificates
  eidbridge vcard pki serve DIR [--addr 127.0.0.1:35980]
      answers OCSP and CRL requests for the test PKI of DIR (a profile or a PKI directory)`

func runVcard(ctx context.Context, args []string) error {
	return dispatch(ctx, "vcard", vcardUsage, map[string]subcommand{
		"init":    vcardInit,
		"unblock": vcardUnblock,
		"run":     vcardRun,
		"revoke":  vcardRevoke,
		"pki":     vcardPKI,
	}, args)
}

// parseDir parses flags placed before or after the one DIR argument (the
// flag package alone stops at the first non-flag).
func parseDir(fs *flag.FlagSet, args []string) (string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", errUsage // the flag package has printed the error and usage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 1 {
		fmt.Fprintf(os.Stderr, "eidbridge %s: want exactly one profile directory, got %d arguments\n", fs.Name(), len(pos))
		fs.Usage()
		return "", errUsage
	}
	return pos[0], nil
}

func vcardInit(_ context.Context, args []string) error {
	var o virtualcard.Options
	fs := flag.NewFlagSet("vcard init", flag.ContinueOnError)
	applet := fs.String("applet", "1.8", "applet version: 1.7 (RSA-2048) or 1.8 (ECDSA P-384)")
	for _, f := range []struct {
		p          *string
		name, help string
	}{
		{&o.Language, "language", "card language: nl, fr or de (default nl)"},
		{&o.Surname, "surname", "surname"},
		{&o.GivenNames, "given-names", "given names, space-separated"},
		{&o.NationalNumber, "national-number", "national number YYMMDDSSSCC (check digits verified)"},
		{&o.BirthDate, "birth-date", "birth date YYYY-MM-DD, or YYYY when only the year is known"},
		{&o.BirthPlace, "birth-place", "birth place"},
		{&o.Sex, "sex", "M or F"},
		{&o.Nationality, "nationality", "nationality as printed, in the card language"},
		{&o.NobleCondition, "noble-condition", "noble condition"},
		{&o.Street, "street", "street and number"},
		{&o.ZIP, "zip", "postal code"},
		{&o.Municipality, "municipality", "municipality of the address"},
		{&o.IssuingMunicipality, "issuing-municipality", "municipality that delivered the card"},
		{&o.DocumentType, "document-type", "document type code (01 eID, 06 kids, 11 A-card, ...)"},
		{&o.CardNumber, "card-number", "card number (12 digits, or B and 9 digits)"},
		{&o.WorkPermit, "work-permit", "foreigner work-permit mention: 7, 8, 9 or A"},
		{&o.PIN, "pin", "PIN, 4 to 12 digits (default 1234)"},
		{&o.PKIDir, "pki", "directory of a test PKI shared by several profiles (default DIR/pki)"},
	} {
		fs.StringVar(f.p, f.name, "", f.help)
	}
	fs.BoolVar(&o.Foreigner, "foreigner", false, "foreigner card (Foreigner CA, B card number, work permit)")
	fs.BoolVar(&o.Kids, "kids", false, "kids card: document type 06, no user certificates")
	fs.BoolVar(&o.NoAuthCert, "no-auth-cert", false, "no authentication certificate")
	fs.BoolVar(&o.NoSignCert, "no-sign-cert", false, "no signature certificate")
	dir, err := parseDir(fs, args)
	if err != nil {
		return err
	}
	switch strings.TrimPrefix(*applet, "0x") {
	case "1.7", "17":
		o.Applet = virtualcard.Applet17
	case "1.8", "18":
		o.Applet = virtualcard.Applet18
	default:
		return fmt.Errorf("--applet %q: want 1.7 or 1.8", *applet)
	}
	if err := virtualcard.Init(dir, o); err != nil {
		return err
	}
	fmt.Printf("created an applet %s card profile in %s\n", *applet, dir)
	return nil
}

func vcardUnblock(_ context.Context, args []string) error {
	dir, err := parseDir(flag.NewFlagSet("vcard unblock", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	c, err := virtualcard.Load(dir)
	if err != nil {
		return err
	}
	c.PINTries = virtualcard.MaxPINTries
	if err := virtualcard.SaveState(dir, c); err != nil {
		return err
	}
	fmt.Printf("PIN of %s unblocked: %d tries left\n", dir, c.PINTries)
	return nil
}

func vcardRun(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("vcard run", flag.ContinueOnError)
	addr := fs.String("vpcd", vpcd.DefaultAddr, "address of the vpcd reader driver")
	traceFile := fs.String("trace", "", `append every APDU pair the card answers to FILE as "C: <hex> R: <hex>" (PINs redacted)`)
	dir, err := parseDir(fs, args)
	if err != nil {
		return err
	}
	c, err := virtualcard.Load(dir)
	if err != nil {
		return err
	}
	card := virtualcard.New(c, virtualcard.WithStateSaver(func(c *virtualcard.Content) error {
		return virtualcard.SaveState(dir, c)
	}))
	if *traceFile != "" {
		f, err := os.OpenFile(*traceFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("--trace: %w", err)
		}
		defer f.Close()
		// One write per pair; vpcd hands the card one APDU at a time.
		card.SetTracer(func(cmd, resp []byte) { fmt.Fprintf(f, "C: %X R: %X\n", cmd, resp) })
	}
	replug := make(chan os.Signal, 1)
	signal.Notify(replug, replugSignals...)
	defer signal.Stop(replug)
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	log.Info("virtual card loaded", "profile", dir, "applet", fmt.Sprintf("%X", c.Applet), "pinTriesLeft", c.PINTries)
	vpcd.Keep(ctx, log, *addr, card, replug)
	return nil
}
