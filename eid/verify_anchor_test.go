package eid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"strings"
	"testing"
	"time"
)

// expiredRootCard is a card whose pinned root's own certificate ended
// before testNow while its CA, RRN and authentication certificates are
// still valid, as cards under the first Belgium Root CA4 will be after
// 2028-01-28; with pin, the root is pinned for the test.
func expiredRootCard(t *testing.T, pin bool) *Files {
	t.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	rootKey, caKey, rrnKey, authKey := key(), key(), key(), key()
	issue := func(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
		if parent == nil {
			parent = tmpl
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	rootTmpl := caTemplate(11, "Belgium Root CA Test (ended)", 1)
	rootTmpl.NotAfter = testNow.AddDate(0, -1, 0)
	root := issue(rootTmpl, nil, &rootKey.PublicKey, rootKey)
	ca := issue(caTemplate(12, "Citizen CA", 0), root, &caKey.PublicKey, rootKey)
	rrn := issue(rrnTemplate(13), root, &rrnKey.PublicKey, rootKey)
	auth := issue(authTemplate(14), ca, &authKey.PublicKey, caKey)
	if pin {
		pinForTest(t, root, "Belgium Root CA Test (ended)")
	}

	f := buildCard(t, cardSpec{ec: true, photoHash: crypto.SHA384})
	f.RootCert, f.CACert, f.RRNCert, f.AuthCert = padCert(root.Raw, 50), padCert(ca.Raw, 50), padCert(rrn.Raw, 50), padCert(auth.Raw, 50)
	f.IdentitySig = signFile(t, rrnKey, crypto.SHA384, f.Identity)
	resignAddress(t, f, rrnKey, crypto.SHA384)
	return f
}

// A pinned root whose certificate has ended is still the anchor its
// name and key make it: the card verifies, trusted.
func TestVerifyExpiredPinnedRoot(t *testing.T) {
	f := expiredRootCard(t, true)
	r := Verify(f, VerifyOptions{Time: testNow})
	if !r.Trusted() {
		t.Fatalf("a card under an expired pinned root is not trusted:\n%v", r.Err())
	}
	for _, name := range []string{CheckRRNChain, CheckAuthChain, CheckCardRoot} {
		c, _ := r.Find(name)
		if c.Status != StatusOK || !strings.Contains(c.Detail, "does not count") {
			t.Errorf("%s: %s (%s)", name, c.Status, c.Detail)
		}
	}
	// The dates below the anchor still count.
	r = Verify(f, VerifyOptions{Time: time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)})
	if c, _ := r.Find(CheckAuthChain); c.Status == StatusOK {
		t.Errorf("an expired authentication certificate passed: %s", c.Detail)
	}
}

// Without the pin, the same card's root is nobody's anchor.
func TestVerifyExpiredRootNotPinned(t *testing.T) {
	f := expiredRootCard(t, false)
	r := Verify(f, VerifyOptions{Time: testNow})
	if r.Trusted() {
		t.Fatal("an expired root that is not pinned made the card trusted")
	}
}
