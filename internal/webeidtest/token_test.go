package webeidtest

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/verify"
)

// Tokens of both applets (ES384 and RS256) pass verify for their origin
// and nonce, and fail for another nonce.
func TestTokenAcceptedByVerify(t *testing.T) {
	pki := t.TempDir()
	for _, applet := range []byte{virtualcard.Applet17, virtualcard.Applet18} {
		c, _, err := virtualcard.NewContent(virtualcard.Options{Applet: applet}, time.Now(), filepath.Join(pki, fmt.Sprint(applet)))
		if err != nil {
			t.Fatal(err)
		}
		auth, err := eid.ParseCertificateFile(c.Files[fmt.Sprintf("%X", eid.FileAuthCert.Path)])
		if err != nil {
			t.Fatal(err)
		}
		v := validator(t, c)
		const nonce = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
		tok, err := Token(c.AuthKey, auth, v.Origin(), nonce)
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]string
		json.Unmarshal(tok, &fields)
		if _, err := v.Validate(tok, nonce); err != nil {
			t.Errorf("applet %x (%s): %v", applet, fields["algorithm"], err)
		}
		if _, err := v.Validate(tok, "b3RoZXIgbm9uY2Ugb3RoZXIgbm9uY2Ugb3RoZXIgbm9uY2U="); err == nil {
			t.Errorf("applet %x: accepted for another nonce", applet)
		}
	}
}

func validator(t *testing.T, c *virtualcard.Content) *verify.Validator {
	t.Helper()
	b, err := c.TrustPEM()
	if err != nil {
		t.Fatal(err)
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	for blk, rest := pem.Decode(b); blk != nil; blk, rest = pem.Decode(rest) {
		cert, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if cert.CheckSignatureFrom(cert) == nil {
			roots.AddCert(cert)
		} else {
			inter.AddCert(cert)
		}
	}
	v, err := verify.NewValidator(verify.Config{Origin: "https://portal.example.be", Roots: roots, Intermediates: inter})
	if err != nil {
		t.Fatal(err)
	}
	return v
}
