package virtualcard

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Regenerate the shipped fixtures with:
//
//	EIDBRIDGE_REGEN_FIXTURES=1 go test ./eid/virtualcard/ -run TestRegenerateFixtures
func TestRegenerateFixtures(t *testing.T) {
	if os.Getenv("EIDBRIDGE_REGEN_FIXTURES") != "1" {
		t.Skip("set EIDBRIDGE_REGEN_FIXTURES=1 to regenerate testdata/")
	}
	if err := WriteFixtures("testdata"); err != nil {
		t.Fatal(err)
	}
}

// Every shipped fixture must be internally consistent (beid-card.md §9
// item 11) and show what its name promises.
func TestShippedFixtures(t *testing.T) {
	for name := range Fixtures {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", name)
			c := checkProfile(t, dir)
			fixtureTraits[name](t, c, identityFields(t, c))
		})
	}
}

// Cards made by the current code pass the same checks as the shipped
// ones, so a change to the builder is caught before fixtures are redone.
func TestFreshFixtureOptions(t *testing.T) {
	pki := t.TempDir()
	for name, opts := range Fixtures {
		t.Run(name, func(t *testing.T) {
			opts.PKIDir = pki
			dir := filepath.Join(t.TempDir(), name)
			if err := Init(dir, opts); err != nil {
				t.Fatal(err)
			}
			c := checkProfile(t, dir)
			fixtureTraits[name](t, c, identityFields(t, c))
		})
	}
}

type traitCheck func(t *testing.T, c *Content, id []TLV)

var fixtureTraits = map[string]traitCheck{
	"citizen-1.7":  wantTags(map[byte]string{0x0F: "01", 0x0A: "Belg", 0x0C: "14 MAAR 1985"}),
	"citizen-1.8":  wantTags(map[byte]string{0x0F: "01", 0x0D: "F", 0x0C: "02 AOUT 1979"}),
	"yearonly-1.7": wantTags(map[byte]string{0x0C: "1950", 0x06: NationalNumber{1950, 0, 0, 0}.String()[:6]}),
	"kids-1.7": func(t *testing.T, c *Content, id []TLV) {
		wantTags(map[byte]string{0x0F: "06"})(t, c, id)
		if !bytes.HasPrefix(c.Files[pathCDF], hx("30 23 30 0B 0C 02 43 41")) {
			t.Error("kids CDF does not start with the CA entry")
		}
	},
	"foreigner-1.8": func(t *testing.T, c *Content, id []TLV) {
		wantTags(map[byte]string{0x16: "8", 0x0F: "11", 0x0C: "24.DEZ. 1990", 0x0A: "Niederländer"})(t, c, id)
		if v, _ := FindTLV(id, 0x01); len(v) != 10 || v[0] != 'B' {
			t.Errorf("foreigner card number %q, want B and 9 digits", v)
		}
		if ca := mustCert(t, c.Files[pathCACert]); ca.Subject.CommonName != "eidbridge TEST Foreigner CA" {
			t.Errorf("foreigner card CA %q", ca.Subject.CommonName)
		}
	},
	"utf8-1.8": func(t *testing.T, c *Content, id []TLV) {
		wantTags(map[byte]string{0x07: "Ørsted-Müller", 0x08: "Émilie Françoise", 0x09: "Æ", 0x0B: "Liège"})(t, c, id)
		addr, _ := DecodeTLV(c.Files[pathAddress])
		if v, _ := FindTLV(addr, 0x03); string(v) != "Liège" {
			t.Errorf("address municipality %q", v)
		}
		if s := mustCert(t, c.Files[pathSignCert]).Subject.CommonName; s != "Émilie Ørsted-Müller (Signature)" {
			t.Errorf("signature CN %q", s)
		}
	},
}

func wantTags(want map[byte]string) traitCheck {
	return func(t *testing.T, _ *Content, id []TLV) {
		for tag, w := range want {
			v, ok := FindTLV(id, tag)
			if tag == 0x06 {
				v = v[:min(len(v), len(w))]
			}
			if !ok || string(v) != w {
				t.Errorf("tag %02X = %q, want %q", tag, v, w)
			}
		}
	}
}

func identityFields(t *testing.T, c *Content) []TLV {
	t.Helper()
	f, err := DecodeTLV(c.Files[pathIdentity])
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustCert(t *testing.T, file []byte) *x509.Certificate {
	t.Helper()
	der, err := CertDER(file)
	if err != nil || der == nil {
		t.Fatalf("no certificate in file (%v)", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// verifyRRN checks a 4032/4034 file as a relying party would: RSA
// PKCS#1 v1.5 with SHA-256, or a zero-padded DER ECDSA signature with
// SHA-384.
func verifyRRN(rrn *x509.Certificate, data, sigFile []byte) error {
	if len(sigFile) != sigFileSize {
		return fmt.Errorf("signature file is %d bytes, want %d", len(sigFile), sigFileSize)
	}
	switch pub := rrn.PublicKey.(type) {
	case *rsa.PublicKey:
		h := sha256.Sum256(data)
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sigFile)
	case *ecdsa.PublicKey:
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(sigFile, &v)
		if err != nil {
			return err
		}
		if len(bytes.Trim(rest, "\x00")) != 0 {
			return fmt.Errorf("non-zero bytes after the DER signature")
		}
		h := sha512.Sum384(data)
		if !ecdsa.VerifyASN1(pub, h[:], v.FullBytes) {
			return fmt.Errorf("ECDSA signature does not verify")
		}
		return nil
	}
	return fmt.Errorf("RRN key type %T", rrn.PublicKey)
}

// tokenInfo is EF(TokenInfo) 5032.
type tokenInfo struct {
	Version  int
	Serial   []byte
	Label    string `asn1:"tag:0,utf8"`
	Flags    asn1.BitString
	Versions []byte `asn1:"tag:30"`
}

func identityTagsWellFormed(t *testing.T, id []TLV, c *Content) {
	t.Helper()
	if slices.ContainsFunc(id, func(f TLV) bool { return f.Tag == 0 || len(f.Value) > 127 }) {
		t.Error("identity file has tag 00 or a field over 127 bytes")
	}
	if !slices.IsSortedFunc(id, func(a, b TLV) int { return int(a.Tag) - int(b.Tag) }) {
		t.Error("identity tags not ascending")
	}
	if !bytes.Equal(c.Files[pathIdentity], mustEncode(t, id)) {
		t.Error("identity file has bytes beyond its fields")
	}
}

func mustEncode(t *testing.T, f []TLV) []byte {
	b, err := EncodeTLV(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
