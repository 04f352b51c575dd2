package verify_test

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/verify"
)

// makeCRL is a CRL by issuer over entries, valid for an hour around
// genNow unless mod says otherwise.
func makeCRL(t testing.TB, issuer *x509.Certificate, key crypto.Signer, mod func(*x509.RevocationList), entries ...x509.RevocationListEntry) []byte {
	t.Helper()
	tmpl := &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: genNow.Add(-time.Minute),
		NextUpdate: genNow.Add(time.Hour), RevokedCertificateEntries: entries}
	if mod != nil {
		mod(tmpl)
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, issuer, key)
	if err != nil {
		t.Fatalf("CreateRevocationList: %v", err)
	}
	return der
}

func crlChecker(clock *testClock) *verify.CRLChecker {
	return verify.NewCRLChecker(verify.CRLConfig{Now: clock.Now, Timeout: 2 * time.Second})
}

func revokedEntry(c *x509.Certificate, reason int, at time.Time) x509.RevocationListEntry {
	return x509.RevocationListEntry{SerialNumber: c.SerialNumber, RevocationTime: at, ReasonCode: reason}
}

func TestCRLGood(t *testing.T) {
	p := getRevPKI(t)
	srv := newRevServer(t, p)
	chain := p.revLeaf(t, genKey(t, "P-256"), srv.URL())
	other := p.revLeaf(t, genKey(t, "P-256"), srv.URL())[0]
	der := makeCRL(t, p.ca, p.caKey, nil, revokedEntry(other, 1, genNow.Add(-time.Hour)))
	for name, body := range map[string][]byte{
		"DER": der,
		"PEM": pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der}),
	} {
		t.Run(name, func(t *testing.T) {
			srv.setCRL(body)
			desc, err := crlChecker(newClock(genNow)).RevocationStatus(chain)
			if err != nil {
				t.Fatal(err)
			}
			if want := "good: not in the CRL at " + srv.URL() + "/crl"; !strings.HasPrefix(desc, want) {
				t.Errorf("description %q, want prefix %q", desc, want)
			}
		})
	}
}

func TestCRLRevoked(t *testing.T) {
	p := getRevPKI(t)
	srv := newRevServer(t, p)
	chain := p.revLeaf(t, genKey(t, "P-256"), srv.URL())
	at := genNow.AddDate(0, 0, -3)
	srv.setCRL(makeCRL(t, p.ca, p.caKey, nil, revokedEntry(chain[0], 6, at)))
	err := crlChecker(newClock(genNow)).CheckRevocation(chain)
	wantRevErr(t, err, verify.ErrRevoked)
	for _, want := range []string{"certificateHold", at.Format(time.RFC3339), "serial " + chain[0].SerialNumber.Text(16), srv.URL() + "/crl"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}

func TestCRLRejects(t *testing.T) {
	p := getRevPKI(t)
	critical := func(l *x509.RevocationList) {
		// A delta CRL indicator: a delta alone does not list every revocation.
		v, _ := asn1.Marshal(big.NewInt(1))
		l.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 27}, Critical: true, Value: v}}
	}
	for name, c := range map[string]struct {
		crl  func(t *testing.T) []byte
		want error
	}{
		"thisUpdate in the future": {func(t *testing.T) []byte {
			return makeCRL(t, p.ca, p.caKey, func(l *x509.RevocationList) {
				l.ThisUpdate, l.NextUpdate = genNow.Add(20*time.Minute), genNow.Add(2*time.Hour)
			})
		}, verify.ErrRevocationStale},
		"nextUpdate past": {func(t *testing.T) []byte {
			return makeCRL(t, p.ca, p.caKey, func(l *x509.RevocationList) {
				l.ThisUpdate, l.NextUpdate = genNow.Add(-2*time.Hour), genNow.Add(-20*time.Minute)
			})
		}, verify.ErrRevocationStale},
		"signed by an impostor of the CA": {func(t *testing.T) []byte {
			return makeCRL(t, p.impostor, p.impostorKey, nil)
		}, verify.ErrRevocationBadSignature},
		"issued by another CA": {func(t *testing.T) []byte {
			return makeCRL(t, p.otherCA, p.otherKey, nil)
		}, verify.ErrRevocationBadSignature},
		"critical extension": {func(t *testing.T) []byte {
			return makeCRL(t, p.ca, p.caKey, critical)
		}, verify.ErrRevocationBadSignature},
		"garbage":   {func(*testing.T) []byte { return []byte("not a CRL") }, verify.ErrRevocationBadSignature},
		"not found": {func(*testing.T) []byte { return nil }, verify.ErrRevocationUnreachable},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRevServer(t, p)
			srv.setCRL(c.crl(t))
			err := crlChecker(newClock(genNow)).CheckRevocation(p.revLeaf(t, genKey(t, "P-256"), srv.URL()))
			wantRevErr(t, err, c.want)
		})
	}
	t.Run("no distribution point", func(t *testing.T) {
		err := crlChecker(newClock(genNow)).CheckRevocation(p.revLeaf(t, genKey(t, "P-256"), ""))
		wantRevErr(t, err, verify.ErrRevocationUnreachable)
	})
}

// TestCRLCache: a CRL serves until its nextUpdate, then is downloaded
// again; 50 concurrent checks share one download.
func TestCRLCache(t *testing.T) {
	p := getRevPKI(t)
	srv, clock := newRevServer(t, p), newClock(genNow)
	srv.setCRL(makeCRL(t, p.ca, p.caKey, nil))
	c := crlChecker(clock)
	a, b := p.revLeaf(t, genKey(t, "P-256"), srv.URL()), p.revLeaf(t, genKey(t, "P-256"), srv.URL())
	for _, chain := range [][]*x509.Certificate{a, b, a} {
		if err := c.CheckRevocation(chain); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.crlHits.Load(); n != 1 {
		t.Fatalf("%d downloads for three checks, want 1", n)
	}
	// After nextUpdate the new CRL, which revokes b, is fetched.
	clock.Add(61 * time.Minute)
	srv.setCRL(makeCRL(t, p.ca, p.caKey, func(l *x509.RevocationList) {
		l.ThisUpdate, l.NextUpdate = clock.Now(), clock.Now().Add(time.Hour)
	}, revokedEntry(b[0], 1, clock.Now())))
	wantRevErr(t, c.CheckRevocation(b), verify.ErrRevoked)
	if n := srv.crlHits.Load(); n != 2 {
		t.Fatalf("%d downloads after nextUpdate, want 2", n)
	}

	srv2 := newRevServer(t, p)
	srv2.setCRL(makeCRL(t, p.ca, p.caKey, nil))
	srv2.block = make(chan struct{})
	chain, c2 := p.revLeaf(t, genKey(t, "P-256"), srv2.URL()), crlChecker(newClock(genNow))
	for _, err := range concurrently(50, srv2.block, func() error { return c2.CheckRevocation(chain) }) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := srv2.crlHits.Load(); n != 1 {
		t.Errorf("%d downloads for 50 concurrent checks, want 1", n)
	}
}
