package eid

import (
	"crypto"
	"strings"
	"testing"
)

var allChecks = []string{
	CheckIdentitySignature, CheckAddressSignature, CheckPhotoHash, CheckBasicKeyHash,
	CheckRRNIssuer, CheckRRNChain, CheckAuthChain, CheckSignChain, CheckCardRoot,
}

// expectChecks is the statuses of a sound card of spec, overridden by over.
func expectChecks(spec cardSpec, over map[string]Status) map[string]Status {
	want := map[string]Status{}
	for _, c := range allChecks {
		want[c] = StatusOK
	}
	if !spec.basicKey {
		want[CheckBasicKeyHash] = StatusNotApplicable
	}
	if !spec.signCert {
		want[CheckSignChain] = StatusNotApplicable
	}
	for k, v := range over {
		want[k] = v
	}
	return want
}

// assertReport checks every status and that each named detail contains
// the given text.
func assertReport(t *testing.T, r Report, want map[string]Status, details map[string]string) {
	t.Helper()
	if len(r.Checks) != len(allChecks) {
		t.Errorf("report has %d checks, want %d: %+v", len(r.Checks), len(allChecks), r.Checks)
	}
	for _, name := range allChecks {
		c, found := r.Find(name)
		if !found {
			t.Errorf("check %q missing", name)
			continue
		}
		if c.Status != want[name] {
			t.Errorf("%s: status %q (%s), want %q", name, c.Status, c.Detail, want[name])
		}
		if c.Detail == "" {
			t.Errorf("%s: empty detail", name)
		}
		if d := details[name]; d != "" && !strings.Contains(c.Detail, d) {
			t.Errorf("%s: detail %q does not contain %q", name, c.Detail, d)
		}
	}
}

func verifyOpts(t testing.TB) VerifyOptions {
	return VerifyOptions{Roots: getPKI(t).roots(), Time: testNow}
}

func TestVerifySoundCards(t *testing.T) {
	getPKI(t)
	tests := []struct {
		name   string
		spec   cardSpec
		detail string // in both signature details
	}{
		{"1.7 RSA, SHA-1 photo hash", cardSpec{}, "RSA-2048 PKCS#1 v1.5 with SHA-1"},
		{"1.7 RSA, SHA-256 photo hash", cardSpec{photoHash: crypto.SHA256}, "with SHA-256"},
		{"re-signed CA3 card: SHA-1 photo hash, SHA-256 signatures",
			cardSpec{photoHash: crypto.SHA1, sigHash: crypto.SHA256}, "with SHA-256"},
		{"re-keyed 1.7 EC, SHA-256 photo hash", cardSpec{ec: true, photoHash: crypto.SHA256}, "ECDSA P-384 with SHA-384"},
		{"1.8 EC with basic key and signature certificate",
			cardSpec{ec: true, photoHash: crypto.SHA384, basicKey: true, signCert: true}, "ECDSA P-384 with SHA-384"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Verify(buildCard(t, tc.spec), verifyOpts(t))
			assertReport(t, r, expectChecks(tc.spec, nil), map[string]string{
				CheckIdentitySignature: tc.detail,
				CheckAddressSignature:  tc.detail,
				CheckRRNChain:          `chains to the trusted root "Belgium Root CA Test"`,
				CheckAuthChain:         `authentication certificate "Marie De Smet (Authentication)" chains to the trusted root "Belgium Root CA Test"`,
				CheckCardRoot:          "is a trusted root",
			})
			if !r.OK() || r.Err() != nil || !r.Trusted() {
				t.Errorf("OK() = %v, Err() = %v, Trusted() = %v; want true, nil, true", r.OK(), r.Err(), r.Trusted())
			}
		})
	}
}

// mutation is one way card data goes wrong and what Verify must say.
type mutation struct {
	name   string
	spec   cardSpec
	mutate func(t *testing.T, p *testPKI, f *Files)
	opts   func(o *VerifyOptions)
	want   map[string]Status
	detail map[string]string
}

func runMutations(t *testing.T, tests []mutation) {
	t.Helper()
	p := getPKI(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := buildCard(t, tc.spec)
			if tc.mutate != nil {
				tc.mutate(t, p, f)
			}
			opts := verifyOpts(t)
			if tc.opts != nil {
				tc.opts(&opts)
			}
			r := Verify(f, opts)
			want := expectChecks(tc.spec, tc.want)
			assertReport(t, r, want, tc.detail)
			ok := !anyStatus(want, StatusFailed) && want[CheckIdentitySignature] == StatusOK
			if r.OK() != ok {
				t.Errorf("OK() = %v, want %v (err %v)", r.OK(), ok, r.Err())
			}
			if trusted := ok && !anyStatus(want, StatusUntrusted) && want[CheckRRNChain] == StatusOK; r.Trusted() != trusted {
				t.Errorf("Trusted() = %v, want %v", r.Trusted(), trusted)
			}
		})
	}
}

func anyStatus(m map[string]Status, s Status) bool {
	for _, v := range m {
		if v == s {
			return true
		}
	}
	return false
}

func TestVerifyNilFiles(t *testing.T) {
	r := Verify(nil, VerifyOptions{})
	for _, c := range r.Checks {
		if c.Status != StatusNotChecked {
			t.Errorf("%s: %s (%s), want not checked", c.Name, c.Status, c.Detail)
		}
	}
	if r.OK() {
		t.Error("an empty report must not be OK")
	}
}
