package verify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/verify"
)

// revPKI adds to the generated PKI the OCSP responder certificates the
// revocation tests need: a proper delegated responder, one without the
// OCSP-signing EKU, and one issued by another CA; plus an impostor CA with
// the issuing CA's name but another key.
type revPKI struct {
	*genPKI
	responder, noEKU, foreign, expired *x509.Certificate
	otherCA, impostor                  *x509.Certificate
	otherKey                           crypto.Signer // signs foreign; also "an unrelated key"
	responderKey, impostorKey          crypto.Signer
}

var (
	revOnce sync.Once
	revP    *revPKI
	revErr  error
)

func getRevPKI(t testing.TB) *revPKI {
	t.Helper()
	p := getGenPKI(t)
	revOnce.Do(func() { revP, revErr = newRevPKI(p) })
	if revErr != nil {
		t.Fatalf("revocation PKI: %v", revErr)
	}
	return revP
}

func newRevPKI(p *genPKI) (*revPKI, error) {
	r := &revPKI{genPKI: p}
	keys := make([]*ecdsa.PrivateKey, 3)
	for i := range keys {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	r.responderKey, r.otherKey, r.impostorKey = keys[0], keys[1], keys[2]
	responder := func(cn string, eku bool, notAfter time.Time) *x509.Certificate {
		c := &x509.Certificate{Subject: pkix.Name{CommonName: cn}, NotBefore: genNow.AddDate(-1, 0, 0),
			NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature}
		if eku {
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageOCSPSigning}
		}
		return c
	}
	ca := func(cn string) *x509.Certificate {
		return &x509.Certificate{Subject: pkix.Name{CommonName: cn}, NotBefore: genNow.AddDate(-5, 0, 0),
			NotAfter: genNow.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	}
	var err error
	steps := []func() error{
		func() error {
			r.responder, err = p.issue(responder("Gen OCSP Responder", true, genNow.AddDate(1, 0, 0)), p.ca, r.responderKey.Public(), p.caKey)
			return err
		},
		func() error {
			r.noEKU, err = p.issue(responder("Gen Responder without EKU", false, genNow.AddDate(1, 0, 0)), p.ca, r.responderKey.Public(), p.caKey)
			return err
		},
		func() error {
			r.expired, err = p.issue(responder("Gen Expired Responder", true, genNow.Add(-time.Hour)), p.ca, r.responderKey.Public(), p.caKey)
			return err
		},
		func() error {
			r.otherCA, err = p.issue(ca("Gen Other CA"), p.root, r.otherKey.Public(), p.rootKey)
			return err
		},
		func() error {
			r.foreign, err = p.issue(responder("Gen Foreign Responder", true, genNow.AddDate(1, 0, 0)), r.otherCA, r.responderKey.Public(), r.otherKey)
			return err
		},
		func() error {
			r.impostor, err = p.issue(ca("Gen Citizen CA"), p.root, r.impostorKey.Public(), p.rootKey)
			return err
		},
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// revLeaf issues an authentication certificate for key whose AIA and CDP
// point at base (none when base is empty) and returns its verified chain.
func (r *revPKI) revLeaf(t testing.TB, key crypto.Signer, base string) []*x509.Certificate {
	t.Helper()
	der := r.leaf(t, key.Public(), func(c *x509.Certificate) {
		if base != "" {
			c.OCSPServer = []string{base + "/ocsp"}
			c.CRLDistributionPoints = []string{base + "/crl"}
		}
	})
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return []*x509.Certificate{leaf, r.ca, r.root}
}

// testClock is a settable clock for the checkers' caches.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(t time.Time) *testClock { return &testClock{now: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// ocspChecker is an OCSP checker on clock with a short timeout.
func ocspChecker(clock *testClock, mod ...func(*verify.OCSPConfig)) *verify.OCSPChecker {
	cfg := verify.OCSPConfig{Now: clock.Now, Timeout: 2 * time.Second}
	for _, m := range mod {
		m(&cfg)
	}
	return verify.NewOCSPChecker(cfg)
}

// wantRevErr fails unless err is want, which wraps ErrRevocation.
func wantRevErr(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) || !errors.Is(err, verify.ErrRevocation) {
		t.Fatalf("got %v, want %v", err, want)
	}
}

// concurrently runs f n times at once; release, closed once every call
// has started (and has had time to reach its request), unblocks the
// server.
func concurrently(n int, release chan struct{}, f func() error) []error {
	errs := make([]error, n)
	var started, done sync.WaitGroup
	started.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			started.Done()
			errs[i] = f()
		}()
	}
	started.Wait()
	time.Sleep(100 * time.Millisecond)
	close(release)
	done.Wait()
	return errs
}
