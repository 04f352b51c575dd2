package pkiserve

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// backdate moves thisUpdate back a little, for a site whose clock is behind.
const backdate = time.Minute

// maxRequest bounds an OCSP request body.
const maxRequest = 16 << 10

func (s *Server) ocspPost(w http.ResponseWriter, r *http.Request) {
	der, err := io.ReadAll(io.LimitReader(r.Body, maxRequest))
	if err != nil {
		http.Error(w, "reading the request", http.StatusBadRequest)
		return
	}
	s.answer(w, der)
}

// ocspGet takes the request from the path (RFC 6960 A.1: base64, URL-
// encoded).
func (s *Server) ocspGet(w http.ResponseWriter, r *http.Request) {
	raw, err := url.PathUnescape(r.PathValue("req"))
	der, err2 := base64.StdEncoding.DecodeString(raw)
	if err != nil || err2 != nil {
		writeOCSP(w, ocsp.MalformedRequestErrorResponse)
		return
	}
	s.answer(w, der)
}

// answer signs the status of the one certificate asked about with the CA
// that issued it, echoing the request's nonce.
func (s *Server) answer(w http.ResponseWriter, der []byte) {
	req, err := ocsp.ParseRequest(der)
	if err != nil {
		writeOCSP(w, ocsp.MalformedRequestErrorResponse)
		return
	}
	pkis, st, err := s.pkis()
	if err != nil {
		writeOCSP(w, ocsp.InternalErrorErrorResponse)
		return
	}
	family, ca, iss := findIssuer(pkis, req)
	if iss == nil {
		writeOCSP(w, ocsp.UnauthorizedErrorResponse)
		return
	}
	now := s.now().UTC()
	tmpl := ocsp.Response{Status: ocsp.Good, SerialNumber: req.SerialNumber, IssuerHash: req.HashAlgorithm,
		ThisUpdate: now.Add(-backdate), NextUpdate: now.Add(validity), ExtraExtensions: nonceOf(der)}
	if rev, ok := st.Find(family, ca, req.SerialNumber); ok {
		tmpl.Status, tmpl.RevokedAt, tmpl.RevocationReason = ocsp.Revoked, rev.Time, rev.Reason
	}
	resp, err := ocsp.CreateResponse(iss.Cert, iss.Cert, tmpl, iss.Key)
	if err != nil {
		writeOCSP(w, ocsp.InternalErrorErrorResponse)
		return
	}
	writeOCSP(w, resp)
}

func writeOCSP(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "application/ocsp-response")
	w.Write(b)
}

// findIssuer is the CA whose name and key hashes the request names.
func findIssuer(pkis []*virtualcard.PKI, req *ocsp.Request) (string, string, *virtualcard.Issuer) {
	for _, p := range pkis {
		for _, name := range caNames {
			iss := p.CA(name)
			if iss != nil && hashesMatch(iss.Cert, req) {
				return p.Family, name, iss
			}
		}
	}
	return "", "", nil
}

func hashesMatch(c *x509.Certificate, req *ocsp.Request) bool {
	if !req.HashAlgorithm.Available() {
		return false
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err != nil {
		return false
	}
	return bytes.Equal(digest(req.HashAlgorithm, c.RawSubject), req.IssuerNameHash) &&
		bytes.Equal(digest(req.HashAlgorithm, spki.PublicKey.RightAlign()), req.IssuerKeyHash)
}

func digest(h crypto.Hash, b []byte) []byte {
	d := h.New()
	d.Write(b)
	return d.Sum(nil)
}

// oidNonce is the OCSP nonce extension (RFC 6960 4.4.1).
var oidNonce = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}

// nonceOf returns the request's nonce extension, to echo; ocsp.Request
// does not keep extensions, so the request is read again here. The echo
// lands in singleExtensions, not responseExtensions where RFC 6960 puts
// it: ocsp.CreateResponse writes only those. Both are signed, and
// verify's checker reads either.
func nonceOf(der []byte) []pkix.Extension {
	var req struct {
		TBS struct {
			Version   int           `asn1:"explicit,tag:0,default:0,optional"`
			Requestor asn1.RawValue `asn1:"explicit,tag:1,optional"`
			List      []asn1.RawValue
			Exts      []pkix.Extension `asn1:"explicit,tag:2,optional"`
		}
	}
	if _, err := asn1.Unmarshal(der, &req); err != nil {
		return nil
	}
	for _, e := range req.TBS.Exts {
		if e.Id.Equal(oidNonce) {
			return []pkix.Extension{{Id: oidNonce, Value: e.Value}}
		}
	}
	return nil
}
