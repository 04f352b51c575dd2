package eid

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"testing"
)

// flipIn flips one bit of the first occurrence of text in b.
func flipIn(t *testing.T, b []byte, text string) {
	t.Helper()
	i := bytes.Index(b, []byte(text))
	if i < 0 {
		t.Fatalf("%q not in file", text)
	}
	b[i] ^= 0x01
}

func TestVerifySignatureFailures(t *testing.T) {
	const noVerify = "does not verify with the RRN key"
	ec := cardSpec{ec: true, photoHash: crypto.SHA384, basicKey: true}
	runMutations(t, []mutation{
		{name: "tampered identity byte", mutate: func(t *testing.T, _ *testPKI, f *Files) { flipIn(t, f.Identity, "De Smet") },
			// 4032 itself is untouched, so the address signature still holds.
			want:   map[string]Status{CheckIdentitySignature: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: "identity signature " + noVerify + " (RSA-2048 PKCS#1 v1.5, tried SHA-1 and SHA-256)"}},
		{name: "tampered identity byte, EC", spec: ec, mutate: func(t *testing.T, _ *testPKI, f *Files) { flipIn(t, f.Identity, "Gent") },
			want:   map[string]Status{CheckIdentitySignature: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: noVerify + " (ECDSA P-384 with SHA-384)"}},
		{name: "tampered address", mutate: func(t *testing.T, _ *testPKI, f *Files) { flipIn(t, f.Address, "Wetstraat") },
			want:   map[string]Status{CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckAddressSignature: "address signature " + noVerify}},
		{name: "tampered address, EC", spec: ec, mutate: func(t *testing.T, _ *testPKI, f *Files) { flipIn(t, f.Address, "1000") },
			want: map[string]Status{CheckAddressSignature: StatusFailed}},
		{name: "address signed with its padding", spec: cardSpec{unstripped: true},
			want:   map[string]Status{CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckAddressSignature: "it was made over the padded file"}},
		{name: "address signed with its padding, EC", spec: cardSpec{ec: true, unstripped: true},
			want:   map[string]Status{CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckAddressSignature: "made over the padded file"}},
		{name: "wrong RRN key", spec: cardSpec{signer: getPKI(t).otherRSA},
			want:   map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: noVerify, CheckAddressSignature: noVerify}},
		{name: "wrong RRN key, EC", spec: cardSpec{ec: true, signer: getPKI(t).otherEC},
			want: map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed}},
		{name: "EC key signs for an RSA certificate", spec: cardSpec{signer: getPKI(t).rrnEC},
			want:   map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: noVerify}},
		{name: "RSA SHA-1 photo hash but SHA-384 signatures (only SHA-256 is retried)",
			spec:   cardSpec{sigHash: crypto.SHA384},
			want:   map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: "tried SHA-1 and SHA-256"}},
		{name: "SHA-256 photo hash, SHA-1 signatures (no SHA-1 fallback)",
			spec:   cardSpec{photoHash: crypto.SHA256, sigHash: crypto.SHA1},
			want:   map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: "tried SHA-256)"}},
		{name: "RSA signature file with padding",
			mutate: func(t *testing.T, _ *testPKI, f *Files) { f.IdentitySig = append(f.IdentitySig, make([]byte, 44)...) },
			want:   map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: "signature file is 300 bytes but the RSA-2048 RRN key makes 256-byte signatures"}},
		{name: "EC identity signature trimmed to its DER length", spec: ec,
			// The DER inside still verifies, but 4034 covers 4032 as stored.
			mutate: func(t *testing.T, _ *testPKI, f *Files) {
				n, err := derObjectLength(f.IdentitySig)
				if err != nil {
					t.Fatal(err)
				}
				f.IdentitySig = f.IdentitySig[:n]
			},
			want: map[string]Status{CheckAddressSignature: StatusFailed}},
		{name: "EC signature file not DER", spec: ec,
			mutate: func(t *testing.T, _ *testPKI, f *Files) { f.IdentitySig = make([]byte, sigFileSize) },
			want:   map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: "does not hold a DER ECDSA signature"}},
		{name: "EC signature DER header longer than file", spec: ec,
			mutate: func(t *testing.T, _ *testPKI, f *Files) { f.IdentitySig = f.IdentitySig[:40] },
			want:   map[string]Status{CheckIdentitySignature: StatusFailed, CheckAddressSignature: StatusFailed},
			detail: map[string]string{CheckIdentitySignature: "DER header announces"}},
	})
}

func TestVerifyHashFailures(t *testing.T) {
	ec := cardSpec{ec: true, photoHash: crypto.SHA384, basicKey: true}
	otherKey := func(t *testing.T, p *testPKI) []byte {
		b, err := x509.MarshalPKIXPublicKey(&p.otherEC.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	runMutations(t, []mutation{
		{name: "photo changed, SHA-1", mutate: func(t *testing.T, _ *testPKI, f *Files) { f.Photo = samplePhoto(1) },
			want:   map[string]Status{CheckPhotoHash: StatusFailed},
			detail: map[string]string{CheckPhotoHash: "photo hash mismatch: card says SHA-1 "}},
		{name: "photo changed, SHA-256", spec: cardSpec{photoHash: crypto.SHA256},
			mutate: func(t *testing.T, _ *testPKI, f *Files) { f.Photo[100] ^= 0xFF },
			want:   map[string]Status{CheckPhotoHash: StatusFailed},
			detail: map[string]string{CheckPhotoHash: "photo hash mismatch: card says SHA-256 "}},
		{name: "photo changed, SHA-384", spec: ec,
			mutate: func(t *testing.T, _ *testPKI, f *Files) { f.Photo = f.Photo[:len(f.Photo)-1] },
			want:   map[string]Status{CheckPhotoHash: StatusFailed},
			detail: map[string]string{CheckPhotoHash: "card says SHA-384"}},
		{name: "photo not read", mutate: func(t *testing.T, _ *testPKI, f *Files) { f.Photo = nil },
			want:   map[string]Status{CheckPhotoHash: StatusNotChecked},
			detail: map[string]string{CheckPhotoHash: "was not read"}},
		{name: "basic key changed", spec: ec,
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.BasicKey = otherKey(t, p) },
			want:   map[string]Status{CheckBasicKeyHash: StatusFailed},
			detail: map[string]string{CheckBasicKeyHash: "basic key hash mismatch: card says SHA-384"}},
		{name: "basic key not read", spec: ec,
			mutate: func(t *testing.T, _ *testPKI, f *Files) { f.BasicKey = nil },
			want:   map[string]Status{CheckBasicKeyHash: StatusNotChecked}},
		{name: "basic key without tag 1A",
			mutate: func(t *testing.T, p *testPKI, f *Files) { f.BasicKey = otherKey(t, p) },
			want:   map[string]Status{CheckBasicKeyHash: StatusFailed},
			detail: map[string]string{CheckBasicKeyHash: "carries no hash of it (tag 1A)"}},
		{name: "identity file truncated",
			mutate: func(t *testing.T, _ *testPKI, f *Files) { f.Identity = f.Identity[:len(f.Identity)-5] },
			want: map[string]Status{CheckIdentitySignature: StatusFailed, CheckPhotoHash: StatusFailed,
				CheckBasicKeyHash: StatusFailed},
			detail: map[string]string{CheckPhotoHash: "identity file does not parse"}},
	})
}
