package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/eid/virtualcard/pkiserve"
)

func vcardRevoke(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("vcard revoke", flag.ContinueOnError)
	reason := fs.String("reason", "key-compromise", "why: key-compromise (stolen), affiliation-changed, superseded, cessation-of-operation, unspecified")
	pkiDir := fs.String("pki", "", "the test PKI that issued the card (default DIR/pki)")
	dir, err := parseDir(fs, args)
	if err != nil {
		return err
	}
	done, err := virtualcard.RevokeCard(dir, *pkiDir, *reason, time.Now())
	if err != nil {
		return err
	}
	for _, d := range done {
		fmt.Printf("revoked the %s (%s)\n", d, *reason)
	}
	return nil
}

func vcardPKI(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "serve" {
		fmt.Fprintln(os.Stderr, vcardUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("vcard pki serve", flag.ContinueOnError)
	addr := fs.String("addr", "", "listen address (default: the one the PKI's certificates name, "+
		pkiserve.HostOf(virtualcard.DefaultRevocationURL)+" for a new one)")
	dir, err := parseDir(fs, args[1:])
	if err != nil {
		return err
	}
	return servePKI(ctx, pkiserve.Dir(dir), *addr, slog.New(slog.NewTextHandler(os.Stderr, nil)))
}

// servePKI runs the revocation service of the PKI in dir until ctx ends,
// on addr or on the address its certificates name.
func servePKI(ctx context.Context, dir, addr string, log *slog.Logger) error {
	ln, err := pkiserve.Listen(dir, addr)
	if err != nil {
		return err
	}
	log.Info("test PKI revocation service (OCSP and CRL)", "url", "http://"+ln.Addr().String(), "pki", dir)
	return pkiserve.Serve(ctx, ln, dir)
}
