package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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
		hostOf(virtualcard.DefaultRevocationURL)+" for a new one)")
	dir, err := parseDir(fs, args[1:])
	if err != nil {
		return err
	}
	return servePKI(ctx, pkiDirOf(dir), *addr, slog.New(slog.NewTextHandler(os.Stderr, nil)))
}

// pkiDirOf takes a profile directory to its pki/ and leaves a PKI
// directory as it is.
func pkiDirOf(dir string) string {
	if _, err := os.Stat(filepath.Join(dir, "card.json")); err == nil {
		return filepath.Join(dir, "pki")
	}
	return dir
}

// servePKI runs the revocation service of the PKI in dir until ctx ends,
// on addr or on the address its certificates name.
func servePKI(ctx context.Context, dir, addr string, log *slog.Logger) error {
	ln, err := listenPKI(dir, addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: &pkiserve.Server{Dir: dir}, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Close() }()
	log.Info("test PKI revocation service (OCSP and CRL)", "url", "http://"+ln.Addr().String(), "pki", dir)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func listenPKI(dir, addr string) (net.Listener, error) {
	st, err := virtualcard.LoadRevocation(dir)
	if err != nil {
		return nil, err
	}
	if addr == "" && st.URL == "" {
		return nil, fmt.Errorf("%s has no revocation service URL (a PKI made before it existed): pass --addr", dir)
	}
	if addr == "" {
		addr = hostOf(st.URL)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("the test PKI's revocation service: %w", err)
	}
	return ln, nil
}

// hostOf is the host:port of an http URL.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}
