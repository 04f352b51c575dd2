package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeTestRoot writes a self-signed CA for --trust: the portal needs
// one to start, and these tests read no card.
func writeTestRoot(t *testing.T, dir string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "root.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// portalAddr is a free loopback address (these helpers are the
// portal tests' own, so that other tests' helpers can change freely).
func portalAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func portalListening(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(e2eTimeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("no portal listens on %s", addr)
}

type portalResp struct {
	status int
	body   string
}

// portalDo sends a request to one instance as the browser would send it
// to the origin (its Host and Origin).
func portalDo(t *testing.T, c *http.Client, addr, origin, method, path string, form url.Values) portalResp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, "http://"+addr+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = strings.TrimPrefix(origin, "http://")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
	}
	// The cookie jar keys on the URL's host: give it the origin's.
	u, _ := url.Parse(origin + path)
	for _, ck := range c.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s at %s: %v", method, path, addr, err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	c.Jar.SetCookies(u, r.Cookies())
	return portalResp{r.StatusCode, string(b)}
}
