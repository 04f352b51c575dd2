package main

import (
	"context"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/eidbridge/eidbridge/eid"
)

var certFiles = map[string]eid.FileID{
	"auth": eid.FileAuthCert, "sign": eid.FileSignCert, "ca": eid.FileCACert,
	"root": eid.FileRootCert, "rrn": eid.FileRRNCert,
}

func cardCert(ctx context.Context, args []string) error {
	if len(args) == 0 || certFiles[args[0]].Path == nil {
		fmt.Fprintln(os.Stderr, "usage: eidbridge card cert auth|sign|ca|root|rrn [--reader NAME]")
		return errUsage
	}
	id := certFiles[args[0]]
	fs := flag.NewFlagSet("card cert", flag.ContinueOnError)
	reader := fs.String("reader", "", "reader name (default: the first reader holding a Belgian eID)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	s, err := openEID(*reader)
	if err != nil {
		return err
	}
	defer s.Close()
	data, err := s.card.ReadFile(id)
	if err != nil {
		return err
	}
	cert, err := eid.ParseCertificateFile(data)
	if errors.Is(err, eid.ErrNoCertificate) {
		return fmt.Errorf("this card has no %s", id.Name)
	}
	if err != nil {
		return err
	}
	return pem.Encode(os.Stdout, &pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
}
