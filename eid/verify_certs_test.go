package eid

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestVerifyCertificateChecks(t *testing.T) {
	p := getPKI(t)
	untrusted := map[string]Status{CheckRRNChain: StatusUntrusted, CheckAuthChain: StatusUntrusted, CheckCardRoot: StatusUntrusted}
	runMutations(t, []mutation{
		{name: "no trusted roots given", opts: func(o *VerifyOptions) { o.Roots = nil }, want: untrusted,
			detail: map[string]string{
				CheckRRNChain:  `RRN certificate "RRN" chains to the card root "Belgium Root CA Test", which is neither a pinned Belgian eID root nor a given trusted root`,
				CheckAuthChain: `authentication certificate "Marie De Smet (Authentication)" chains to the card root "Belgium Root CA Test"`,
				CheckCardRoot:  "(SHA-256 " + Fingerprint(p.root) + ") is neither a pinned"}},
		{name: "an unrelated root given", opts: func(o *VerifyOptions) { o.Roots = certPool(p.otherRoot) }, want: untrusted},
		{name: "no roots, card root not read",
			opts:   func(o *VerifyOptions) { o.Roots = nil },
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.RootCert = nil },
			want: map[string]Status{CheckRRNIssuer: StatusNotChecked, CheckRRNChain: StatusNotChecked,
				CheckAuthChain: StatusNotChecked, CheckCardRoot: StatusNotChecked},
			detail: map[string]string{CheckRRNChain: "no trusted roots given and no usable card root (503B)"}},
		{name: "re-issued root in the pool", opts: func(o *VerifyOptions) { o.Roots = certPool(reissuedRoot(t, p)) },
			detail: map[string]string{CheckCardRoot: "a re-issued root certificate"}},
		{name: "certificates expired", opts: func(o *VerifyOptions) { o.Time = time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC) },
			want: map[string]Status{CheckRRNChain: StatusFailed, CheckAuthChain: StatusFailed, CheckCardRoot: StatusFailed},
			detail: map[string]string{CheckAuthChain: "does not chain to a trusted root: x509: certificate has expired",
				CheckCardRoot: "is not a trusted root: x509: certificate has expired"}},
		{name: "certificates expired, no roots given",
			opts: func(o *VerifyOptions) { o.Roots, o.Time = nil, time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC) },
			want: map[string]Status{CheckRRNChain: StatusFailed, CheckAuthChain: StatusFailed, CheckCardRoot: StatusFailed}},
		{name: "self-signed RRN certificate",
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.RRNCert = padCert(p.selfSignedRRN.Raw, 50) },
			want:   map[string]Status{CheckRRNIssuer: StatusFailed, CheckRRNChain: StatusFailed},
			detail: map[string]string{CheckRRNIssuer: `is not the card root "CN=Belgium Root CA Test,C=BE"`}},
		{name: "self-signed RRN certificate, no roots given",
			opts:   func(o *VerifyOptions) { o.Roots = nil },
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.RRNCert = padCert(p.selfSignedRRN.Raw, 50) },
			want: map[string]Status{CheckRRNIssuer: StatusFailed, CheckRRNChain: StatusFailed,
				CheckAuthChain: StatusUntrusted, CheckCardRoot: StatusUntrusted},
			detail: map[string]string{CheckRRNChain: "does not chain to a trusted root: x509: certificate signed by unknown authority"}},
		{name: "card root replaced",
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.RootCert = padCert(p.otherRoot.Raw, 50) },
			want:   map[string]Status{CheckRRNIssuer: StatusFailed, CheckCardRoot: StatusUntrusted}},
		{name: "card root not a CA certificate",
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.RootCert = padCert(p.selfSignedRRN.Raw, 50) },
			want:   map[string]Status{CheckRRNIssuer: StatusFailed, CheckCardRoot: StatusFailed},
			detail: map[string]string{CheckCardRoot: "not a self-signed CA certificate"}},
		{name: "authentication certificate not issued under the card root",
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.AuthCert = padCert(p.selfSignedRRN.Raw, 50) },
			want:   map[string]Status{CheckAuthChain: StatusFailed},
			detail: map[string]string{CheckAuthChain: "does not chain to a trusted root: x509: certificate signed by unknown authority"}},
		{name: "authentication certificate not issued under the card root, no roots given",
			opts:   func(o *VerifyOptions) { o.Roots = nil },
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.AuthCert = padCert(p.selfSignedRRN.Raw, 50) },
			want:   map[string]Status{CheckRRNChain: StatusUntrusted, CheckAuthChain: StatusFailed, CheckCardRoot: StatusUntrusted}},
		{name: "RRN certificate all zeros",
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.RRNCert = make([]byte, 1300) },
			want: map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed,
				CheckRRNIssuer: StatusFailed, CheckRRNChain: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: "RRN certificate: " + ErrNoCertificate.Error()}},
		{name: "RRN certificate not read", mutate: func(t *testing.T, p *testPKI, f *Files) { f.RRNCert = nil },
			want: map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed,
				CheckRRNIssuer: StatusNotChecked, CheckRRNChain: StatusNotChecked},
			detail: map[string]string{CheckIdentitySignature: "RRN certificate (503C) was not read"}},
		{name: "root not read", mutate: func(t *testing.T, p *testPKI, f *Files) { f.RootCert = nil },
			want: map[string]Status{CheckRRNIssuer: StatusNotChecked, CheckCardRoot: StatusNotChecked}},
		{name: "CA not read (the RRN certificate hangs off the root)",
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.CACert = nil },
			want:   map[string]Status{CheckAuthChain: StatusNotChecked},
			detail: map[string]string{CheckAuthChain: "citizen CA certificate (503A) was not read"}},
		{name: "kids card: no user certificates",
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.AuthCert = make([]byte, 1300) },
			want:   map[string]Status{CheckAuthChain: StatusNotApplicable},
			detail: map[string]string{CheckAuthChain: "the card has no authentication certificate (5038 is empty)"}},
		{name: "signature certificate sound", spec: cardSpec{signCert: true},
			detail: map[string]string{CheckSignChain: `signature certificate "Marie De Smet (Signature)" chains to the trusted root "Belgium Root CA Test"`}},
		{name: "signature certificate not read", spec: cardSpec{signCert: true},
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.SignCert = nil },
			want:   map[string]Status{CheckSignChain: StatusNotChecked}},
		{name: "signature certificate garbled", spec: cardSpec{signCert: true},
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.SignCert[40] ^= 0xFF },
			want:   map[string]Status{CheckSignChain: StatusFailed}},
	})
}

func TestVerifyMissingFiles(t *testing.T) {
	runMutations(t, []mutation{
		{name: "address not read", mutate: func(t *testing.T, _ *testPKI, f *Files) { f.Address, f.AddressSig = nil, nil },
			want: map[string]Status{CheckAddressSignature: StatusNotChecked}},
		{name: "address signature not read", mutate: func(t *testing.T, _ *testPKI, f *Files) { f.AddressSig = nil },
			want:   map[string]Status{CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckAddressSignature: "(4034) was not read"}},
		{name: "identity signature not read", mutate: func(t *testing.T, _ *testPKI, f *Files) { f.IdentitySig = nil },
			want:   map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckAddressSignature: "also covers the identity signature file (4032)"}},
		{name: "identity not read", mutate: func(t *testing.T, _ *testPKI, f *Files) { f.Identity = nil },
			want: map[string]Status{CheckIdentitySignature: StatusNotChecked, CheckPhotoHash: StatusFailed,
				CheckBasicKeyHash: StatusNotChecked},
			detail: map[string]string{CheckPhotoHash: "which holds the photo hash, was not read"}},
	})
}

// reissuedRoot is the test root re-issued with the same name and key but
// another serial and validity, as Belgium Root CA4 was.
func reissuedRoot(t *testing.T, p *testPKI) *x509.Certificate {
	tmpl := caTemplate(99, "Belgium Root CA Test", 1)
	tmpl.NotAfter = time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &p.rootKey.PublicKey, p.rootKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReportSummary(t *testing.T) {
	f := buildCard(t, cardSpec{})
	flipIn(t, f.Address, "Brussel")
	f.Photo[50] ^= 1
	r := Verify(f, verifyOpts(t))
	err := r.Err()
	if !errors.Is(err, ErrVerification) {
		t.Fatalf("Err() = %v, want ErrVerification", err)
	}
	for _, want := range []string{"address signature: address signature does not verify", "photo hash: photo hash mismatch"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Err() = %q, want it to contain %q", err, want)
		}
	}
	b, jerr := json.Marshal(r)
	if jerr != nil {
		t.Fatal(jerr)
	}
	var got struct {
		OK     bool
		Error  string
		Checks []Check
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.OK || got.Error != err.Error() || len(got.Checks) != len(allChecks) || got.Checks[1].Status != StatusFailed {
		t.Errorf("JSON round trip = %+v, from %s", got, b)
	}
}
