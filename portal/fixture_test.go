package portal

import (
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/internal/webeidtest"
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

// token is the card's web-eid:1.0 token for origin and nonce.
func (c *card) token(t testing.TB, origin, nonce string) []byte {
	t.Helper()
	b, err := webeidtest.Token(c.key, c.auth, origin, nonce)
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
