package verify_test

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

// Where the test responder puts the nonce it echoes.
type nonceMode int

const (
	nonceSingle   nonceMode = iota // singleExtensions: what ocsp.CreateResponse can do
	nonceResponse                  // responseExtensions, as RFC 6960 has it
	nonceNone                      // not echoed
	nonceWrong                     // another nonce, in responseExtensions
)

var oidNonce = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}

// ocspAnswer says what the test responder answers; zero fields take the
// defaults of newRevServer.
type ocspAnswer struct {
	status, reason         int
	revokedAt              time.Time
	thisUpdate, nextUpdate time.Time
	issuer, signer         *x509.Certificate // issuer: the CA; signer: whose name is the responder ID
	key                    crypto.Signer
	embed                  bool // include signer in the answer
	nonce                  nonceMode
	httpStatus             int    // other than 200
	raw                    []byte // sent as is
	otherSerial            bool   // answer about another certificate
}

// revServer is an OCSP responder and CRL server built on
// ocsp.CreateResponse and x509.CreateRevocationList, counting requests.
type revServer struct {
	t        testing.TB
	srv      *httptest.Server
	mu       sync.Mutex
	answer   ocspAnswer
	crl      []byte
	block    chan struct{} // when set, requests wait for it to close
	ocspHits atomic.Int64
	crlHits  atomic.Int64
}

func newRevServer(t testing.TB, p *revPKI) *revServer {
	s := &revServer{t: t, answer: ocspAnswer{status: ocsp.Good, thisUpdate: genNow.Add(-time.Minute),
		nextUpdate: genNow.Add(time.Hour), issuer: p.ca, signer: p.ca, key: p.caKey}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ocsp", s.serveOCSP)
	mux.HandleFunc("GET /crl", s.serveCRL)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *revServer) URL() string { return s.srv.URL }

func (s *revServer) set(f func(a *ocspAnswer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.answer)
}

func (s *revServer) setCRL(der []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.crl = der
}

func (s *revServer) wait(r *http.Request) {
	s.mu.Lock()
	b := s.block
	s.mu.Unlock()
	if b != nil {
		select {
		case <-b:
		case <-r.Context().Done():
		}
	}
}

func (s *revServer) serveOCSP(w http.ResponseWriter, r *http.Request) {
	s.ocspHits.Add(1)
	s.wait(r)
	s.mu.Lock()
	a := s.answer
	s.mu.Unlock()
	if a.httpStatus != 0 {
		http.Error(w, "failing on purpose", a.httpStatus)
		return
	}
	der, _ := io.ReadAll(r.Body)
	body := a.raw
	if body == nil {
		body = s.makeOCSP(der, a)
	}
	w.Header().Set("Content-Type", "application/ocsp-response")
	w.Write(body)
}

func (s *revServer) serveCRL(w http.ResponseWriter, r *http.Request) {
	s.crlHits.Add(1)
	s.wait(r)
	s.mu.Lock()
	crl := s.crl
	s.mu.Unlock()
	if crl == nil {
		http.NotFound(w, r)
		return
	}
	w.Write(crl)
}

// makeOCSP answers the request in der as a says.
func (s *revServer) makeOCSP(der []byte, a ocspAnswer) []byte {
	req, err := ocsp.ParseRequest(der)
	if err != nil {
		s.t.Errorf("test responder: request does not parse: %v", err)
		return ocsp.MalformedRequestErrorResponse
	}
	tmpl := ocsp.Response{Status: a.status, SerialNumber: req.SerialNumber, IssuerHash: req.HashAlgorithm,
		ThisUpdate: a.thisUpdate, NextUpdate: a.nextUpdate, RevokedAt: a.revokedAt, RevocationReason: a.reason}
	if a.otherSerial {
		tmpl.SerialNumber = tmpl.SerialNumber.Add(tmpl.SerialNumber, tmpl.SerialNumber)
	}
	if a.embed {
		tmpl.Certificate = a.signer
	}
	nonce := requestNonce(s.t, der)
	if a.nonce == nonceSingle && nonce != nil {
		tmpl.ExtraExtensions = []pkix.Extension{*nonce}
	}
	resp, err := ocsp.CreateResponse(a.issuer, a.signer, tmpl, a.key)
	if err != nil {
		s.t.Errorf("test responder: %v", err)
		return ocsp.InternalErrorErrorResponse
	}
	switch {
	case a.nonce == nonceResponse && nonce != nil:
		resp = withResponseExtensions(s.t, resp, []pkix.Extension{*nonce}, a.key)
	case a.nonce == nonceWrong:
		other, _ := asn1.Marshal(randomBytes(32))
		resp = withResponseExtensions(s.t, resp, []pkix.Extension{{Id: oidNonce, Value: other}}, a.key)
	}
	return resp
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// requestNonce reads the nonce extension of an OCSP request.
func requestNonce(t testing.TB, der []byte) *pkix.Extension {
	var req struct {
		TBS struct {
			Version int `asn1:"explicit,tag:0,default:0,optional"`
			List    []asn1.RawValue
			Exts    []pkix.Extension `asn1:"explicit,tag:2,optional"`
		}
	}
	if _, err := asn1.Unmarshal(der, &req); err != nil {
		t.Errorf("test responder: %v", err)
		return nil
	}
	for _, e := range req.TBS.Exts {
		if e.Id.Equal(oidNonce) {
			return &pkix.Extension{Id: oidNonce, Value: e.Value}
		}
	}
	return nil
}
