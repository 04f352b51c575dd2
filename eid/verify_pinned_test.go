package eid

import (
	"crypto/x509"
	"slices"
	"testing"
	"time"
)

// pinForTest pins c for the rest of the test: the real roots cannot sign
// test cards, so the pinned path is exercised with the test root.
func pinForTest(t *testing.T, c *x509.Certificate, name string) {
	t.Helper()
	saved := pinnedRoots
	pinnedRoots = append(slices.Clone(saved), PinnedRoot{Name: name, SHA256: Fingerprint(c)})
	t.Cleanup(func() { pinnedRoots = saved })
}

// TestVerifyPinnedCardRoot: a card whose root is pinned verifies with no
// roots given, as a real card does.
func TestVerifyPinnedCardRoot(t *testing.T) {
	p := getPKI(t)
	pinForTest(t, p.root, "Belgium Root CA Test")
	noRoots := func(o *VerifyOptions) { o.Roots = nil }
	runMutations(t, []mutation{
		{name: "no roots given", opts: noRoots, spec: cardSpec{signCert: true},
			detail: map[string]string{
				CheckRRNChain:  "chains to the pinned Belgium Root CA Test",
				CheckAuthChain: "chains to the pinned Belgium Root CA Test",
				CheckSignChain: "chains to the pinned Belgium Root CA Test",
				CheckCardRoot:  "is the pinned Belgium Root CA Test (SHA-256 " + Fingerprint(p.root) + ")"}},
		{name: "an unrelated root given as well", opts: func(o *VerifyOptions) { o.Roots = certPool(p.otherRoot) }},
		// The root stays an anchor (TestVerifyExpiredPinnedRoot); what it
		// issued has expired too.
		{name: "pinned root expired", opts: func(o *VerifyOptions) { o.Roots, o.Time = nil, time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC) },
			want:   map[string]Status{CheckRRNChain: StatusFailed, CheckAuthChain: StatusFailed, CheckCardRoot: StatusOK},
			detail: map[string]string{CheckCardRoot: "which does not count for a trust anchor"}},
		{name: "RRN certificate not from the pinned root", opts: noRoots,
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.RRNCert = padCert(p.selfSignedRRN.Raw, 50) },
			want:   map[string]Status{CheckRRNIssuer: StatusFailed, CheckRRNChain: StatusFailed}},
	})
}

// TestVerifyGivenRootsUnchanged: the pinned card root is added to a copy
// of the given pool, never to the caller's.
func TestVerifyGivenRootsUnchanged(t *testing.T) {
	p := getPKI(t)
	pinForTest(t, p.root, "Belgium Root CA Test")
	given := certPool(p.otherRoot)
	Verify(buildCard(t, cardSpec{}), VerifyOptions{Roots: given, Time: testNow})
	if _, err := p.root.Verify(x509.VerifyOptions{Roots: given, CurrentTime: testNow}); err == nil {
		t.Error("Verify added the card root to the caller's pool")
	}
}

// TestVerifyRealRootOnForgedCard: a real pinned root copied onto a card
// makes the root check pass, but nothing the card's own keys signed
// chains to it.
func TestVerifyRealRootOnForgedCard(t *testing.T) {
	ca6 := trustCert(t, "belgiumrca6.pem")
	spec := cardSpec{ec: true, basicKey: true}
	f := buildCard(t, spec)
	f.RootCert = padCert(ca6.Raw, 1100)
	r := Verify(f, VerifyOptions{Time: testNow})
	assertReport(t, r, expectChecks(spec, map[string]Status{
		CheckRRNIssuer: StatusFailed, CheckRRNChain: StatusFailed, CheckAuthChain: StatusFailed,
	}), map[string]string{
		CheckCardRoot:  "is the pinned Belgium Root CA6 (SHA-256 9C872BC979A7C09A58D4A274C199E5CB16CFA9B9618D98BC9A9988E984B8495C)",
		CheckRRNChain:  "does not chain to a trusted root",
		CheckAuthChain: "does not chain to a trusted root",
	})
	if r.OK() || r.Trusted() {
		t.Errorf("OK() = %v, Trusted() = %v for a forged card", r.OK(), r.Trusted())
	}
}
