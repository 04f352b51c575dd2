package portal

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/verify"
)

// card is a virtual card fixture: its key signs tokens exactly as the
// card would, its files are what the agent's readIdentity returns.
type card struct {
	name  string
	key   crypto.Signer
	auth  *x509.Certificate
	files verify.IdentityData
	roots *x509.CertPool // its test root and Citizen CA
	inter *x509.CertPool
}

var (
	cardsMu sync.Mutex
	cards   = map[string]*card{}
)

func loadCard(t testing.TB, name string) *card {
	t.Helper()
	cardsMu.Lock()
	defer cardsMu.Unlock()
	if c, ok := cards[name]; ok {
		return c
	}
	dir := filepath.Join("..", "eid", "virtualcard", "testdata", name)
	content, err := virtualcard.Load(dir)
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	get := func(id eid.FileID) []byte { return content.Files[strings.ToUpper(hex.EncodeToString(id.Path))] }
	c := &card{name: name, key: content.AuthKey, files: verify.IdentityData{
		Identity: get(eid.FileIdentity), IdentitySignature: get(eid.FileIdentitySig),
		Address: get(eid.FileAddress), AddressSignature: get(eid.FileAddressSig),
		RRNCertificate: get(eid.FileRRNCert),
	}}
	parse := func(id eid.FileID) *x509.Certificate {
		cert, err := eid.ParseCertificateFile(get(id))
		if err != nil {
			t.Fatalf("fixture %s %s: %v", name, id.Name, err)
		}
		return cert
	}
	c.auth = parse(eid.FileAuthCert)
	roots, inter, err := LoadTrust(filepath.Join(dir, "root-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	inter.AddCert(parse(eid.FileCACert))
	c.roots, c.inter = roots, inter
	cards[name] = c
	return c
}

// validNow is inside every fixture certificate's validity.
func (c *card) validNow() time.Time { return c.auth.NotBefore.Add(48 * time.Hour) }

// token signs H(H(origin) ‖ H(nonce)) as the card does: ECDSA as raw
// r‖s, RSA PKCS#1 v1.5. The digest is computed here, apart from verify.
func (c *card) token(t testing.TB, origin, nonce string) []byte {
	t.Helper()
	alg, h := "RS256", crypto.SHA256
	if k, ok := c.key.Public().(*ecdsa.PublicKey); ok && k.Curve.Params().BitSize == 384 {
		alg, h = "ES384", crypto.SHA384
	}
	sum := func(b []byte) []byte { w := h.New(); w.Write(b); return w.Sum(nil) }
	sig, err := c.key.Sign(rand.Reader, sum(append(sum([]byte(origin)), sum([]byte(nonce))...)), h)
	if err != nil {
		t.Fatal(err)
	}
	if alg == "ES384" {
		var rs struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(sig, &rs); err != nil {
			t.Fatal(err)
		}
		sig = make([]byte, 96)
		rs.R.FillBytes(sig[:48])
		rs.S.FillBytes(sig[48:])
	}
	b, err := json.Marshal(map[string]string{
		"unverifiedCertificate": base64.StdEncoding.EncodeToString(c.auth.Raw),
		"algorithm":             alg, "signature": base64.StdEncoding.EncodeToString(sig),
		"format": "web-eid:1.0", "appVersion": "https://eidbridge.example/agent/test",
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// holder is the name the token card should show.
func (c *card) holder(t testing.TB) string {
	id, err := eid.ParseIdentity(c.files.Identity)
	if err != nil {
		t.Fatal(err)
	}
	return id.GivenNames + " " + id.Surname
}
