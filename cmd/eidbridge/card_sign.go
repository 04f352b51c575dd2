package main

import (
	"context"
	"crypto"
	_ "crypto/sha256" // registers SHA-256 for crypto.Hash.New
	_ "crypto/sha512" // registers SHA-384 and SHA-512
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/eidbridge/eidbridge/eid"
)

const signUsage = `usage: eidbridge card sign --key auth|sign [--hash sha256|sha384|sha512] [--der]
                          [--pin-fd N] [--reader NAME] FILE

Hashes FILE and prints the card's signature in base64: RSA PKCS#1 v1.5 on
applet 1.7 cards, ECDSA P-384 on 1.8 cards as raw r||s (96 bytes), or as
ASN.1 DER with --der. "--key sign" makes a legally binding signature and
asks the PIN every time; "--key auth" asks it once per card session.

To check a signature with openssl (which wants DER for ECDSA, so use --der):
  eidbridge card cert sign > cert.pem
  openssl x509 -in cert.pem -pubkey -noout > pub.pem
  eidbridge card sign --key sign --hash sha384 --der FILE | base64 -d > sig.bin
  openssl dgst -sha384 -verify pub.pem -signature sig.bin FILE`

var signKeys = map[string]eid.KeyRole{"auth": eid.KeyAuth, "sign": eid.KeySign}

var signHashes = map[string]crypto.Hash{"sha256": crypto.SHA256, "sha384": crypto.SHA384, "sha512": crypto.SHA512}

type signArgs struct {
	role   eid.KeyRole
	hash   crypto.Hash
	der    bool
	pinFD  int
	reader string
	file   string
}

func cardSign(_ context.Context, args []string) error {
	a, err := parseSignArgs(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "eidbridge card sign: %v\n%s\n", err, signUsage)
		return errUsage
	}
	digest, err := hashFile(a.file, a.hash)
	if err != nil {
		return err
	}
	src, err := newPINSource(a.pinFD)
	if err != nil {
		return err
	}
	s, err := openEID(a.reader)
	if err != nil {
		return err
	}
	defer s.Close()
	sig, err := s.card.Sign(a.role, a.hash, digest, src.prompt)
	if err != nil {
		return pinMessage(err)
	}
	// RSA signatures have one form; --der only changes ECDSA ones.
	if a.der && s.card.Data.AppletVersion >= eid.Applet18 {
		if sig, err = eid.ECDSARawToDER(sig); err != nil {
			return err
		}
	}
	fmt.Println(base64.StdEncoding.EncodeToString(sig))
	return nil
}

// parseSignArgs accepts the flags before and after FILE.
func parseSignArgs(args []string) (signArgs, error) {
	a := signArgs{}
	fs := flag.NewFlagSet("card sign", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	key := fs.String("key", "", "auth or sign")
	hash := fs.String("hash", "sha256", "sha256, sha384 or sha512")
	fs.BoolVar(&a.der, "der", false, "ECDSA signature as ASN.1 DER (for openssl) instead of raw r||s")
	fs.IntVar(&a.pinFD, "pin-fd", -1, "read the PIN from this file descriptor")
	fs.StringVar(&a.reader, "reader", "", "reader name")
	var files []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return a, err
		}
		if fs.NArg() == 0 {
			break
		}
		files, rest = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	var ok bool
	switch {
	case len(files) != 1:
		return a, fmt.Errorf("want exactly one FILE, got %d", len(files))
	case *key == "":
		return a, errors.New("--key auth|sign is required")
	}
	if a.role, ok = signKeys[*key]; !ok {
		return a, fmt.Errorf("--key %q: want auth or sign", *key)
	}
	if a.hash, ok = signHashes[*hash]; !ok {
		return a, fmt.Errorf("--hash %q: want sha256, sha384 or sha512", *hash)
	}
	a.file = files[0]
	return a, nil
}

func hashFile(name string, h crypto.Hash) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := h.New()
	if _, err := io.Copy(w, f); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return w.Sum(nil), nil
}
