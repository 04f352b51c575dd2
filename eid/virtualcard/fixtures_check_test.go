package virtualcard

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"image/jpeg"
	"path/filepath"
	"testing"
	"time"
)

// checkProfile loads dir and checks the card's data consistency.
func checkProfile(t *testing.T, dir string) *Content {
	t.Helper()
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	id := identityFields(t, c)
	identityTagsWellFormed(t, id, c)
	checkSerials(t, c, id)
	checkPhoto(t, c, id)
	rrn := checkRRN(t, dir, c)
	checkUserCerts(t, dir, c, id, rrn.NotBefore.Add(time.Hour))
	if c.Applet == Applet18 {
		checkBasicKey(t, c, id)
	} else if len(c.Files[pathCARoleHash]) != 20 || !bytes.HasPrefix(c.Files[pathPrefs], []byte("[gen]\nlg=")) {
		t.Error("1.7 files 4038 (20 bytes) / 4039 (preferences) wrong")
	}
	if len(c.Files[pathAddress]) != addressFileSize {
		t.Errorf("address file %d bytes, want %d", len(c.Files[pathAddress]), addressFileSize)
	}
	nn, _ := FindTLV(id, 0x06)
	if _, err := ParseNationalNumber(string(nn)); err != nil {
		t.Error(err)
	}
	return c
}

// Chip number (tag 02) = chip serial (GET CARD DATA) = TokenInfo serial.
func checkSerials(t *testing.T, c *Content, id []TLV) {
	var ti tokenInfo
	if rest, err := asn1.Unmarshal(c.Files[pathTokenInfo], &ti); err != nil || len(rest) != 0 {
		t.Fatalf("TokenInfo: %v (%d bytes left)", err, len(rest))
	}
	chip, _ := FindTLV(id, 0x02)
	if !bytes.Equal(ti.Serial, c.ChipSerial[:]) || !bytes.Equal(chip, c.ChipSerial[:]) {
		t.Errorf("chip serial %X, TokenInfo %X, tag 02 %X", c.ChipSerial, ti.Serial, chip)
	}
	if ti.Label != "BELPIC" {
		t.Errorf("TokenInfo label %q", ti.Label)
	}
}

// Tag 11 = SHA-256 (1.7) or SHA-384 (1.8) of the JPEG photo.
func checkPhoto(t *testing.T, c *Content, id []TLV) {
	photo := c.Files[pathPhoto]
	want := sha256.Sum256(photo)
	got, _ := FindTLV(id, 0x11)
	if c.Applet == Applet18 {
		h := sha512.Sum384(photo)
		if !bytes.Equal(got, h[:]) {
			t.Error("tag 11 is not SHA-384 of the photo")
		}
	} else if !bytes.Equal(got, want[:]) {
		t.Error("tag 11 is not SHA-256 of the photo")
	}
	if _, err := jpeg.Decode(bytes.NewReader(photo)); err != nil {
		t.Errorf("photo: %v", err)
	}
}

// The RRN certificate chains to the card's root and signs 4032 and 4034.
func checkRRN(t *testing.T, dir string, c *Content) *x509.Certificate {
	rrn := mustCert(t, c.Files[pathRRNCert])
	root := mustCert(t, c.Files[pathRootCert])
	for name, want := range map[string]*x509.Certificate{rrnPEMName: rrn, rootPEMName: root} {
		got, err := readCertPEM(filepath.Join(dir, name))
		if err != nil || !got.Equal(want) {
			t.Errorf("%s is not the card's certificate (%v)", name, err)
		}
	}
	if err := rrn.CheckSignatureFrom(root); err != nil {
		t.Errorf("RRN certificate not issued by the root: %v", err)
	}
	if err := verifyRRN(rrn, c.Files[pathIdentity], c.Files[pathIdentitySig]); err != nil {
		t.Errorf("4032: %v", err)
	}
	// Copy: appending to the trimmed slice would write into the file.
	signed := append(bytes.Clone(bytes.TrimRight(c.Files[pathAddress], "\x00")), c.Files[pathIdentitySig]...)
	if err := verifyRRN(rrn, signed, c.Files[pathAddressSig]); err != nil {
		t.Errorf("4034: %v", err)
	}
	if verifyRRN(rrn, c.Files[pathAddress], c.Files[pathAddressSig]) == nil {
		t.Error("4034 also verifies over the unstripped address alone")
	}
	return rrn
}

// User certificates: present as card.json says, named after the holder
// (serialNumber = national number), chained to the root, matching keys.
func checkUserCerts(t *testing.T, dir string, c *Content, id []TLV, at time.Time) {
	j, err := readCardJSON(dir)
	if err != nil {
		t.Fatal(err)
	}
	nn, _ := FindTLV(id, 0x06)
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(mustCert(t, c.Files[pathRootCert]))
	inter.AddCert(mustCert(t, c.Files[pathCACert]))
	absent := map[byte]int{Applet17: 1300, Applet18: 2500}[c.Applet]
	for _, u := range []struct {
		path    string
		present bool
	}{
		{pathAuthCert, j.Identity.AuthCert},
		{pathSignCert, j.Identity.SignCert},
	} {
		file := c.Files[u.path]
		if !u.present {
			if len(file) != absent || len(bytes.Trim(file, "\x00")) != 0 {
				t.Errorf("%s: absent certificate is not %d zero bytes", u.path, absent)
			}
			continue
		}
		cert := mustCert(t, file)
		if cert.Subject.SerialNumber != string(nn) {
			t.Errorf("%s serialNumber %q, national number %q", u.path, cert.Subject.SerialNumber, nn)
		}
		if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			t.Errorf("%s: %v", u.path, err)
		}
		key := c.AuthKey
		if u.path == pathSignCert {
			key = c.SignKey
		}
		if !publicEqual(cert.PublicKey, key.Public()) {
			t.Errorf("%s: certificate is not for the card's key", u.path)
		}
	}
}

// 4040 is the basic key's 120-byte SubjectPublicKeyInfo; tag 1A its SHA-384.
func checkBasicKey(t *testing.T, c *Content, id []TLV) {
	f := c.Files[pathBasicKey]
	h := sha512.Sum384(f)
	if got, _ := FindTLV(id, 0x1A); !bytes.Equal(got, h[:]) {
		t.Error("tag 1A is not SHA-384 of 4040")
	}
	pub, err := x509.ParsePKIXPublicKey(f)
	if err != nil || len(f) != 120 || !publicEqual(pub, c.BasicKey.Public()) {
		t.Errorf("4040 (%d bytes) is not the basic key's public key (%v)", len(f), err)
	}
}
