package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"os"

	"github.com/eidbridge/eidbridge/eid"
)

// readResult is the stable --json form of `card read`.
type readResult struct {
	Reader       string        `json:"reader"`
	Card         cardInfo      `json:"card"`
	Identity     *eid.Identity `json:"identity"`
	Address      *eid.Address  `json:"address"`
	Certificates []certSummary `json:"certificates"`
	Verification eid.Report    `json:"verification"`
	files        *eid.Files    // not printed
	certs        *eid.Certificates
}

type cardInfo struct {
	Applet    string `json:"applet"`
	Serial    string `json:"chipSerial"`
	LifeCycle int    `json:"lifeCycle"`
	PINTries  *int   `json:"pinTriesLeft,omitempty"`
}

func cardRead(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("card read", flag.ContinueOnError)
	reader := fs.String("reader", "", "reader name (default: the first reader holding a Belgian eID)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	photo := fs.String("photo", "", "write the photo (JPEG) to this file")
	var trust trustFlag
	fs.Var(&trust, "trust", "PEM file of a root CA to trust besides the pinned Belgian eID roots, e.g. a test card's root (repeatable)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	s, err := openEID(*reader)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := readAll(s, trust.pool)
	if err != nil {
		return err
	}
	if *photo != "" {
		if err := os.WriteFile(*photo, res.files.Photo, 0o600); err != nil {
			return fmt.Errorf("writing the photo: %w", err)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printResult(os.Stdout, res)
	return nil
}

func readAll(s *session, roots *x509.CertPool) (*readResult, error) {
	files, err := s.card.Read(s.card.FullRead()...)
	if err != nil {
		return nil, err
	}
	id, err := eid.ParseIdentity(files.Identity)
	if err != nil {
		return nil, err
	}
	addr, err := eid.ParseAddress(files.Address)
	if err != nil {
		return nil, err
	}
	certs, err := eid.ParseCertificates(files)
	if err != nil {
		return nil, err
	}
	res := &readResult{
		Reader: s.conn.Reader(), Card: infoOf(s.card.Data), Identity: id, Address: addr,
		Certificates: summarize(certs), files: files, certs: certs,
	}
	// The card's own root is trusted when it is pinned; roots add more.
	res.Verification = eid.Verify(files, eid.VerifyOptions{Roots: roots})
	return res, nil
}

func infoOf(d eid.CardData) cardInfo {
	info := cardInfo{Applet: d.Applet(), Serial: d.SerialHex(), LifeCycle: int(d.LifeCycle)}
	if d.PINTries >= 0 {
		tries := d.PINTries
		info.PINTries = &tries
	}
	return info
}

// trustFlag collects --trust PEM files into a pool.
type trustFlag struct{ pool *x509.CertPool }

func (t *trustFlag) String() string { return "" }

func (t *trustFlag) Set(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading a trusted root: %w", err)
	}
	if t.pool == nil {
		t.pool = x509.NewCertPool()
	}
	if blk, _ := pem.Decode(b); blk == nil || !t.pool.AppendCertsFromPEM(b) {
		return fmt.Errorf("%s holds no PEM certificate", path)
	}
	return nil
}
