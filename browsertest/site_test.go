package browsertest

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/verify"
)

const fixtureDir = "../eid/virtualcard/testdata/citizen-1.8"

// site is the test website: the login page, its nonces, and a server side
// that verifies tokens with package verify as a real site would.
type site struct {
	port          int
	roots, inter  *x509.CertPool
	mu            sync.Mutex
	nonces        map[string]bool
	logins        []string // the citizens verified, in order
	verifyFailure string   // the last token the server refused, and why
}

// url is the page at host (127.0.0.1 or localhost) with query.
func (s *site) url(host, query string) string {
	return "http://" + net.JoinHostPort(host, itoa(s.port)) + "/?" + query
}

func (s *site) origin() string { return "http://127.0.0.1:" + itoa(s.port) }

func startSite(t *testing.T) *site { return serveSite(t, nil) }

// serveSite runs the site on a free loopback port, over https with tc.
func serveSite(t *testing.T, tc *tls.Config) *site {
	t.Helper()
	s := &site{nonces: map[string]bool{}}
	s.roots, s.inter = fixtureTrust(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	srv := &http.Server{Handler: s.mux(), TLSConfig: tc}
	if tc != nil {
		ln = tls.NewListener(ln, tc)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// mux serves the site's pages, the client and the login endpoints.
func (s *site) mux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, "testdata/login.html") })
	mux.HandleFunc("GET /login.js", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, "testdata/login.js") })
	mux.Handle("GET /client/", http.StripPrefix("/client/", http.FileServer(http.Dir("../webext/client"))))
	mux.Handle("GET /frames/", http.StripPrefix("/frames/", http.FileServer(http.Dir("testdata/frames"))))
	mux.HandleFunc("POST /challenge", s.challenge)
	mux.HandleFunc("POST /login", s.login)
	return mux
}

func (s *site) challenge(w http.ResponseWriter, _ *http.Request) {
	b := make([]byte, 32)
	rand.Read(b)
	nonce := base64.StdEncoding.EncodeToString(b)
	s.mu.Lock()
	s.nonces[nonce] = true
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"nonce": nonce})
}

// login verifies the token for the origin the page was served from.
func (s *site) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Nonce string          `json:"nonce"`
		Token json.RawMessage `json:"token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad request"})
		return
	}
	s.mu.Lock()
	known := s.nonces[req.Nonce]
	delete(s.nonces, req.Nonce)
	s.mu.Unlock()
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	}
	v, err := verify.NewValidator(verify.Config{Origin: scheme + r.Host, Roots: s.roots, Intermediates: s.inter})
	var c *verify.Citizen
	if err == nil && known {
		c, err = v.Validate(req.Token, req.Nonce)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil || !known {
		s.verifyFailure = "token refused: unknown nonce or " + errText(err)
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "The login could not be verified."})
		return
	}
	name := c.GivenNames + " " + c.Surname
	s.logins = append(s.logins, name)
	writeJSON(w, http.StatusOK, map[string]string{"name": name})
}

func (s *site) verified() ([]string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logins...), s.verifyFailure
}

// fixtureTrust is the virtual card's root CA and issuing CA.
func fixtureTrust(t *testing.T) (roots, inter *x509.CertPool) {
	t.Helper()
	b, err := os.ReadFile(fixtureDir + "/root-ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	root, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	content, err := virtualcard.Load(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	der, err := virtualcard.CertDER(content.Files["3F00DF00503A"]) // the card's CA certificate
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots, inter = x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(root)
	inter.AddCert(ca)
	return roots, inter
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func errText(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}
