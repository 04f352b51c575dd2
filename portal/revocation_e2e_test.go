//go:build cgo

package portal

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/eid/virtualcard/pkiserve"
	"github.com/eidbridge/eidbridge/eid/virtualcard/vpcd"
	"github.com/eidbridge/eidbridge/pcsc"
	"github.com/eidbridge/eidbridge/verify"
)

// The first vpcd slot, as the other tests through pcscd use it (make test
// runs one package at a time).
const (
	vpcdReader = "Virtual PCD 00 00"
	vpcdAddr   = "127.0.0.1:35963"
)

// servedCard is a fresh virtual card whose certificates name a running
// revocation service (OCSP and CRL), and that service.
type servedCard struct {
	dir   string
	pki   *httptest.Server
	roots *x509.CertPool
	inter *x509.CertPool
}

func newServedCard(t *testing.T) *servedCard {
	t.Helper()
	s := &servedCard{dir: filepath.Join(t.TempDir(), "card")}
	h := &pkiserve.Server{Dir: filepath.Join(s.dir, "pki")}
	s.pki = httptest.NewServer(h)
	t.Cleanup(s.pki.Close)
	if err := virtualcard.Init(s.dir, virtualcard.Options{PKIURL: s.pki.URL}); err != nil {
		t.Fatal(err)
	}
	c, err := virtualcard.Load(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	s.roots, s.inter = x509.NewCertPool(), x509.NewCertPool()
	for _, f := range []struct {
		id   eid.FileID
		pool *x509.CertPool
	}{{eid.FileRootCert, s.roots}, {eid.FileCACert, s.inter}} {
		cert, err := eid.ParseCertificateFile(c.Files[fileKey(f.id)])
		if err != nil {
			t.Fatal(err)
		}
		f.pool.AddCert(cert)
	}
	return s
}

func fileKey(id eid.FileID) string { return strings.ToUpper(hex.EncodeToString(id.Path)) }

// plug serves the card in pcscd's first vpcd reader until the test ends.
func (s *servedCard) plug(t *testing.T, pc *pcsc.Context) {
	t.Helper()
	c, err := virtualcard.Load(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- vpcd.Serve(ctx, vpcdAddr, virtualcard.New(c)) }()
	t.Cleanup(func() { cancel(); <-done; time.Sleep(500 * time.Millisecond) }) // pcscd's poll sees it gone
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if card, err := pc.Connect(vpcdReader); err == nil {
			card.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pcscd does not see the card in %q", vpcdReader)
		}
	}
}

// requestThroughPCSC runs the online request with the agent reaching the
// card through pcscd, checking revocation with OCSP as the certificates
// say; it returns the portal's answer to the verification.
func (s *servedCard) requestThroughPCSC(t *testing.T, pc *pcsc.Context) (int, map[string]string, *env) {
	t.Helper()
	e := newEnv(t, "citizen-1.8", func(c *Config) {
		c.Roots, c.Intermediates, c.Clock = s.roots, s.inter, time.Now
		c.Revocation = verify.NewOCSPChecker(verify.OCSPConfig{Timeout: 2 * time.Second})
	})
	allow, err := agent.NewAllowlist([]string{e.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	port := agenttest.Start(t, agent.Options{Cards: agent.NewPCSCCards(pc), UI: &pinUI{}, Origins: allow,
		Version: "test", UserTimeout: 5 * time.Second})
	ws := "ws://127.0.0.1:" + strconv.Itoa(port) + "/v1"
	r, m := e.browser().verifyThroughAgent(ws)
	return r.status, m, e
}

func needPCSCD(t *testing.T) *pcsc.Context {
	t.Helper()
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") != "1" {
		t.Skip("integration test: set EIDBRIDGE_PCSC_TESTS=1 with pcscd and vsmartcard-vpcd running (make test does)")
	}
	pc, err := pcsc.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc
}

// A card reported stolen, through pcscd: the portal refuses it with a
// plain message, stores nothing, and logs the attempt without the
// national number. With the responder stopped it says to try later.
func TestRevokedCardRefusedThroughPCSC(t *testing.T) {
	pc := needPCSCD(t)
	s := newServedCard(t)
	if _, err := virtualcard.RevokeCard(s.dir, "", "key-compromise", time.Now()); err != nil {
		t.Fatal(err)
	}
	s.plug(t, pc)
	status, m, e := s.requestThroughPCSC(t, pc)
	if status != 422 || m["error"] != "err.eid.revoked" || m["message"] != e.p.cats["nl"].T("err.eid.revoked") {
		t.Fatalf("revoked card: %d %v, want 422 with the revoked message", status, m)
	}
	e.countRows(map[string]int{"citizens": 0, "tokens": 0})
	logs := e.logs.String()
	if !regexp.MustCompile(`event=eid.revoked .*citizen=none`).MatchString(logs) || strings.Contains(logs, cardNN(t, s.dir)) {
		t.Errorf("the attempt is not logged by internal id only:\n%s", logs)
	}

	s.pki.Close() // the responder is down
	status, m, e = s.requestThroughPCSC(t, pc)
	if status != 422 || m["error"] != "err.eid.revocation" {
		t.Fatalf("responder down: %d %v, want 422 with the try-later message", status, m)
	}
	e.countRows(map[string]int{"citizens": 0, "tokens": 0})
}

// cardNN is the card holder's national number.
func cardNN(t *testing.T, dir string) string {
	c, err := virtualcard.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	id, err := eid.ParseIdentity(c.Files[fileKey(eid.FileIdentity)])
	if err != nil {
		t.Fatal(err)
	}
	return id.NationalNumber
}
