package eid_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
)

// TestVerifyVirtualCardTrust reads virtual cards in process and verifies
// them as `card read` does: their test root is not pinned, so without it
// every chain ends at an untrusted root; given as trusted, all passes.
func TestVerifyVirtualCardTrust(t *testing.T) {
	for _, name := range []string{"citizen-1.7", "citizen-1.8", "kids-1.7"} {
		t.Run(name, func(t *testing.T) {
			vc, _ := loadFixture(t, name)
			card, _ := openCounted(t, vc, vc.ATR())
			files, err := card.Read(card.FullRead()...)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			certs, err := eid.ParseCertificates(files)
			if err != nil {
				t.Fatal(err)
			}
			at := certs.RRN.NotBefore.Add(24 * time.Hour)
			kids := name == "kids-1.7"

			r := eid.Verify(files, eid.VerifyOptions{Time: at})
			checkTrust(t, r, kids, eid.StatusUntrusted)
			if !r.OK() || r.Trusted() {
				t.Errorf("untrusted root: OK() = %v (%v), Trusted() = %v; want true, false", r.OK(), r.Err(), r.Trusted())
			}

			roots := rootPEM(t, filepath.Join("virtualcard", "testdata", name, "root-ca.pem"))
			r = eid.Verify(files, eid.VerifyOptions{Roots: roots, Time: at})
			checkTrust(t, r, kids, eid.StatusOK)
			if !r.Trusted() {
				t.Errorf("trusted root: Trusted() = false: %v", r.Err())
			}
		})
	}
}

// checkTrust wants every chain check and the card root at want; a kids
// card has no user certificates.
func checkTrust(t *testing.T, r eid.Report, kids bool, want eid.Status) {
	t.Helper()
	for _, name := range []string{eid.CheckRRNChain, eid.CheckAuthChain, eid.CheckSignChain, eid.CheckCardRoot} {
		c, _ := r.Find(name)
		w := want
		if kids && (name == eid.CheckAuthChain || name == eid.CheckSignChain) {
			w = eid.StatusNotApplicable
		}
		if c.Status != w {
			t.Errorf("%s: %s (%s), want %s", name, c.Status, c.Detail, w)
		}
	}
}

func rootPEM(t *testing.T, path string) *x509.CertPool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if blk, _ := pem.Decode(b); blk == nil || !pool.AppendCertsFromPEM(b) {
		t.Fatalf("%s: no PEM certificate", path)
	}
	return pool
}
