package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/portal"
	"github.com/eidbridge/eidbridge/verify"
)

func init() {
	register(command{name: "portal", summary: "run the federal token portal (reference website)", run: runPortal})
}

// prefixesFlag collects --trusted-proxy values: an address or a CIDR.
type prefixesFlag []netip.Prefix

func (p *prefixesFlag) String() string { return fmt.Sprint(*p) }
func (p *prefixesFlag) Set(s string) error {
	if a, err := netip.ParseAddr(s); err == nil {
		*p = append(*p, netip.PrefixFrom(a, a.BitLen()))
		return nil
	}
	pr, err := netip.ParsePrefix(s)
	if err != nil {
		return fmt.Errorf("want an address or a CIDR such as 10.0.0.0/8: %w", err)
	}
	*p = append(*p, pr.Masked())
	return nil
}

func runPortal(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "officer" {
		return runOfficer(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "service" {
		return runService(ctx, args[1:])
	}
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8443", "listen address")
	origin := fs.String("origin", "", "origin as the browser sees it (default http(s)://ADDR)")
	data := fs.String("data", "portal-data", "data directory (SQLite database, code key, outbox)")
	dbURL := fs.String("db", "", "PostgreSQL database shared by all instances, postgres://user@host/db "+
		"(password from PGPASSWORD or ~/.pgpass; default: SQLite in --data)")
	var trust stringsFlag
	fs.Var(&trust, "trust", "PEM file of trusted eID CAs: roots and issuing CAs (repeatable, required)")
	tlsCert := fs.String("tls-cert", "", "TLS certificate PEM (serve https)")
	tlsKey := fs.String("tls-key", "", "TLS private key PEM")
	agentPort := fs.Int("agent-port", portal.DefaultAgentPort, "port of the local eidbridge agent")
	smtpAddr := fs.String("smtp", "", "SMTP server host:port (default: mail goes to the outbox directory)")
	var proxies prefixesFlag
	fs.Var(&proxies, "trusted-proxy", "address or CIDR of a reverse proxy whose X-Forwarded-For names the client (repeatable)")
	smtpFrom := fs.String("smtp-from", "", "sender address for SMTP")
	smtpUser := fs.String("smtp-user", "", "SMTP user (PLAIN auth)")
	var smtpTLS portal.SMTPTLS
	fs.Var(&smtpTLS, "smtp-tls", "STARTTLS policy: auto (required unless the SMTP server is on loopback), require, opportunistic")
	smtpPassFile := fs.String("smtp-password-file", "", "file holding the SMTP password")
	maxFail := fs.Int("max-login-failures", 5, "wrong passwords or codes before an account locks")
	lock := fs.Duration("lock", 15*time.Minute, "how long a locked account stays locked")
	revocation := fs.String("revocation", "ocsp", "check every card: ocsp (the certificate's responder, its CRL when it names none), "+
		"crl, or off (tests only)")
	ocspURL := fs.String("ocsp", "", "ask this OCSP responder instead of the one the certificates name")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	checker, err := revocationChecker(*revocation, *ocspURL)
	if err != nil {
		return err
	}
	if len(trust) == 0 {
		return errors.New("--trust is required: the eID root CA (and issuing CA) certificates")
	}
	roots, inter, err := portal.LoadTrust(trust...)
	if err != nil {
		return err
	}
	cfg := portal.Config{DataDir: *data, Database: *dbURL, Origin: *origin, Roots: roots, Intermediates: inter, AgentPort: *agentPort,
		MaxLoginFailures: *maxFail, LockDuration: *lock, TrustedProxies: proxies, Revocation: checker,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	if cfg.Origin == "" {
		scheme := "http"
		if *tlsCert != "" {
			scheme = "https"
		}
		cfg.Origin = scheme + "://" + *addr
	}
	if *smtpAddr != "" {
		pw, err := readSecret(*smtpPassFile)
		if err != nil {
			return fmt.Errorf("SMTP password: %w", err)
		}
		cfg.SMTP = &portal.SMTP{Addr: *smtpAddr, From: *smtpFrom, Username: *smtpUser, Password: pw, TLS: smtpTLS}
	}
	return servePortal(ctx, cfg, *addr, *tlsCert, *tlsKey)
}

// readSecret reads a one-line secret file; "" for no file.
func readSecret(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return s, nil
}

func servePortal(ctx context.Context, cfg portal.Config, addr, cert, key string) error {
	p, err := portal.New(cfg)
	if err != nil {
		return err
	}
	defer p.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	fmt.Fprintf(os.Stderr, "portal: %s (data in %s)\n", p.Origin(), cfg.DataDir)
	if cert != "" {
		err = srv.ServeTLS(ln, cert, key)
	} else {
		err = srv.Serve(ln)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// revocationChecker is --revocation's checker for tokens and identity
// data; nil only for "off".
func revocationChecker(mode, responder string) (verify.RevocationChecker, error) {
	switch mode {
	case "ocsp":
		return verify.OCSPOrCRL(verify.NewOCSPChecker(verify.OCSPConfig{Responder: responder}),
			verify.NewCRLChecker(verify.CRLConfig{})), nil
	case "crl":
		return verify.NewCRLChecker(verify.CRLConfig{}), nil
	case "off":
		return nil, nil
	}
	return nil, fmt.Errorf("--revocation %q: want ocsp, crl or off", mode)
}
