package eid

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// sharedTrust is the directory of the government's public eID
// certificates that the tests check the pins against; it lives beside
// the work tree and is never copied into the project.
var sharedTrust = filepath.Join("..", "..", "shared", "trust")

// trustCert reads one certificate from sharedTrust, skipping the test
// when the directory is absent (a checkout without it).
func trustCert(t *testing.T, name string) *x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedTrust, name))
	if errors.Is(err, os.ErrNotExist) {
		if _, derr := os.Stat(sharedTrust); errors.Is(derr, os.ErrNotExist) {
			t.Skipf("%s is absent: the real eID certificates are not available here", sharedTrust)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("%s: no PEM block", name)
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

var rootFiles = map[string]string{
	"belgiumrca3.pem":  "Belgium Root CA3",
	"belgiumrca4.pem":  "Belgium Root CA4",
	"belgiumrca4b.pem": "Belgium Root CA4 (re-issued)",
	"belgiumrca6.pem":  "Belgium Root CA6",
}

// TestPinnedRootsMatchTheirCertificates: each pin is the fingerprint of
// the certificate it names, and every pin has its file.
func TestPinnedRootsMatchTheirCertificates(t *testing.T) {
	var matched []string
	for file, name := range rootFiles {
		c := trustCert(t, file)
		p, ok := PinnedRootOf(c)
		if !ok || p.Name != name {
			t.Errorf("%s (SHA-256 %s): pinned %v as %q, want %q", file, Fingerprint(c), ok, p.Name, name)
		}
		// Self-issued CA; Root CA3 signs itself with SHA-1, which
		// crypto/x509 no longer checks, so the name stands for it.
		if !strings.HasPrefix(name, c.Subject.CommonName) || !c.IsCA || !bytes.Equal(c.RawIssuer, c.RawSubject) {
			t.Errorf("%s: subject %q issuer %q CA %v, want a self-issued %s", file, c.Subject, c.Issuer, c.IsCA, name)
		}
		matched = append(matched, p.Name)
	}
	pins := PinnedRoots()
	if len(pins) != len(rootFiles) {
		t.Errorf("%d pins, %d root files", len(pins), len(rootFiles))
	}
	for _, p := range pins {
		if !slices.Contains(matched, p.Name) {
			t.Errorf("pin %q matches no root file", p.Name)
		}
	}
}

// TestNotPinned: the expired Root CA2 and the issuing CAs are not roots
// a card may end at.
func TestNotPinned(t *testing.T) {
	for _, file := range []string{"belgiumrca2.pem", "CitizenCA202002.pem", "ForeignerCA202001.pem"} {
		if p, ok := PinnedRootOf(trustCert(t, file)); ok {
			t.Errorf("%s is pinned as %q", file, p.Name)
		}
	}
	if _, ok := PinnedRootOf(getPKI(t).root); ok {
		t.Error("the test root is pinned")
	}
	if _, ok := PinnedRootOf(nil); ok {
		t.Error("nil is pinned")
	}
}

// TestPinnedRootPool: the real issuing CAs chain to the pool of pinned
// roots, which refuses any other root.
func TestPinnedRootPool(t *testing.T) {
	var roots []*x509.Certificate
	for file := range rootFiles {
		roots = append(roots, trustCert(t, file))
	}
	pool, err := PinnedRootPool(roots...)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, file := range []string{"CitizenCA202002.pem", "ForeignerCA202001.pem"} {
		chains, err := trustCert(t, file).Verify(x509.VerifyOptions{Roots: pool, CurrentTime: at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if top := chains[0][len(chains[0])-1]; describeAnchor(top) != "the pinned Belgium Root CA6" {
			t.Errorf("%s chains to %q", file, top.Subject)
		}
	}
	ca2 := trustCert(t, "belgiumrca2.pem")
	if _, err := PinnedRootPool(append(roots, ca2)...); err == nil || !strings.Contains(err.Error(), Fingerprint(ca2)) {
		t.Errorf("pool with Root CA2: %v, want an error naming its fingerprint", err)
	}
	if _, err := PinnedRootPool(); err == nil {
		t.Error("empty pool accepted")
	}
}
