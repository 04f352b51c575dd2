// Command site is a complete eID login for a website, the one
// docs/verify.md walks through: it issues challenge nonces, validates the
// tokens the eidbridge agent (or Web eID) returns, checks revocation by
// OCSP and keeps a session.
//
//	go run ./docs/examples/site -origin https://login.example.be \
//	    -root belgiumrca4.crt -root belgiumrca6.crt \
//	    -ca citizen202002.crt -ca foreigner202001.crt
package main

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/verify"
)

// files is a repeatable flag of file names.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	origin := flag.String("origin", "", "the site's origin as the browser shows it, e.g. https://login.example.be")
	cert := flag.String("tls-cert", "", "TLS certificate (PEM); without it, serve HTTP behind a TLS proxy")
	key := flag.String("tls-key", "", "TLS key (PEM)")
	var roots, testRoots, cas files
	flag.Var(&roots, "root", "Belgium Root CA certificate, PEM or DER; must be a pinned root (repeatable)")
	flag.Var(&testRoots, "test-root", "root of a test PKI, e.g. a virtual card's root-ca.pem; never in production (repeatable)")
	flag.Var(&cas, "ca", "Citizen or Foreigner CA certificate the site accepts, PEM or DER (repeatable)")
	flag.Parse()

	cfg, err := trust(roots, testRoots, cas)
	if err != nil {
		log.Fatal(err)
	}
	cfg.Origin = *origin
	cfg.Revocation = verify.NewOCSPChecker(verify.OCSPConfig{})
	s, err := newSite(cfg)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: *addr, Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("eID login for %s on %s", s.validator.Origin(), *addr)
	if *cert != "" {
		log.Fatal(srv.ListenAndServeTLS(*cert, *key))
	}
	log.Fatal(srv.ListenAndServe())
}

// trust loads the roots, refusing any whose fingerprint is not pinned by
// package eid, and the CAs, refusing any that does not chain to them.
func trust(roots, testRoots, cas []string) (verify.Config, error) {
	var cfg verify.Config
	pool := x509.NewCertPool()
	if len(roots) > 0 {
		certs, err := readCerts(roots)
		if err != nil {
			return cfg, err
		}
		if pool, err = eid.PinnedRootPool(certs...); err != nil {
			return cfg, err
		}
	}
	tests, err := readCerts(testRoots)
	if err != nil {
		return cfg, err
	}
	for _, c := range tests {
		pool.AddCert(c)
	}
	if len(roots)+len(tests) == 0 {
		return cfg, errors.New("no -root given")
	}
	inter := x509.NewCertPool()
	caCerts, err := readCerts(cas)
	if err != nil {
		return cfg, err
	}
	for _, ca := range caCerts {
		opts := x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
		if _, err := ca.Verify(opts); err != nil {
			return cfg, fmt.Errorf("CA %q does not chain to the given roots: %w", ca.Subject.CommonName, err)
		}
		inter.AddCert(ca)
	}
	cfg.Roots, cfg.Intermediates = pool, inter
	return cfg, nil
}

// readCerts reads certificates from PEM files (any number of blocks) or
// DER files, as the government's repository serves them.
func readCerts(paths []string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var ders [][]byte
		for blk, rest := pem.Decode(b); blk != nil; blk, rest = pem.Decode(rest) {
			ders = append(ders, blk.Bytes)
		}
		if len(ders) == 0 { // not PEM: one DER certificate
			ders = [][]byte{b}
		}
		for _, der := range ders {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			out = append(out, c)
		}
	}
	return out, nil
}
