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
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

var testNow = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

// servedPKI is a fresh PKI served by a test server, and a citizen's
// certificate issued from it.
func servedPKI(t *testing.T) (*httptest.Server, string, *virtualcard.PKI, *x509.Certificate) {
	t.Helper()
	dir := t.TempDir()
	srv := httptest.NewServer(&Server{Dir: dir, Now: func() time.Time { return testNow }})
	t.Cleanup(srv.Close)
	p, err := virtualcard.LoadOrCreatePKI(dir, virtualcard.FamilyEC, srv.URL, testNow)
	if err != nil {
		t.Fatal(err)
	}
	key, err := virtualcard.NewKey(virtualcard.FamilyEC)
	if err != nil {
		t.Fatal(err)
	}
	h := virtualcard.Holder{Surname: "Peeters", GivenNames: "Jan", NationalNumber: "85031486536"}
	leaf, err := p.IssueUser(virtualcard.CertAuth, h, key.Public(), testNow.Add(-time.Hour), testNow.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return srv, dir, p, leaf
}

func TestCertificatesNameTheService(t *testing.T) {
	srv, _, p, leaf := servedPKI(t)
	if len(leaf.OCSPServer) != 1 || leaf.OCSPServer[0] != srv.URL+"/ocsp" {
		t.Errorf("OCSP URL %q, want %s/ocsp", leaf.OCSPServer, srv.URL)
	}
	if want := srv.URL + "/crl/ec-citizen-ca.crl"; len(leaf.CRLDistributionPoints) != 1 || leaf.CRLDistributionPoints[0] != want {
		t.Errorf("CRL URL %q, want %s", leaf.CRLDistributionPoints, want)
	}
	if want := srv.URL + "/crl/ec-root.crl"; len(p.RRN.Cert.CRLDistributionPoints) != 1 || p.RRN.Cert.CRLDistributionPoints[0] != want {
		t.Errorf("the RRN certificate's CRL %q, want %s", p.RRN.Cert.CRLDistributionPoints, want)
	}
}

// ask posts an OCSP request with a nonce and parses the answer for leaf.
func ask(t *testing.T, url string, leaf, issuer *x509.Certificate, nonce []byte) *ocsp.Response {
	t.Helper()
	der, err := ocsp.CreateRequest(leaf, issuer, &ocsp.RequestOptions{Hash: crypto.SHA1})
	if err != nil {
		t.Fatal(err)
	}
	if nonce != nil {
		der = withNonce(t, der, nonce)
	}
	res, err := http.Post(url+"/ocsp", "application/ocsp-request", bytes.NewReader(der))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	r, err := ocsp.ParseResponseForCert(body, leaf, issuer)
	if err != nil {
		t.Fatalf("the response does not parse or verify: %v", err)
	}
	return r
}

// withNonce adds a nonce extension to an OCSP request.
func withNonce(t *testing.T, der, nonce []byte) []byte {
	var req struct {
		TBS struct{ List []asn1.RawValue }
	}
	if _, err := asn1.Unmarshal(der, &req); err != nil {
		t.Fatal(err)
	}
	v, _ := asn1.Marshal(nonce)
	type tbs struct {
		List []asn1.RawValue
		Exts []pkix.Extension `asn1:"explicit,tag:2"`
	}
	out, err := asn1.Marshal(struct{ TBS tbs }{tbs{req.TBS.List, []pkix.Extension{{Id: oidNonce, Value: v}}}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOCSPGoodThenRevoked(t *testing.T) {
	srv, dir, p, leaf := servedPKI(t)
	r := ask(t, srv.URL, leaf, p.CitizenCA.Cert, []byte("nonce-1234567890"))
	if r.Status != ocsp.Good || !r.ThisUpdate.Before(testNow) || !r.NextUpdate.After(testNow) {
		t.Fatalf("status %d, %v–%v; want good around %v", r.Status, r.ThisUpdate, r.NextUpdate, testNow)
	}
	var echoed bool
	for _, e := range r.Extensions {
		var n []byte
		asn1.Unmarshal(e.Value, &n)
		echoed = echoed || (e.Id.Equal(oidNonce) && string(n) == "nonce-1234567890")
	}
	if !echoed {
		t.Errorf("the nonce is not echoed: %+v", r.Extensions)
	}
	st, _ := virtualcard.LoadRevocation(dir)
	st.Revoke(p.Family, "citizen-ca", leaf, virtualcard.RevocationReasons["key-compromise"], testNow)
	if err := virtualcard.SaveRevocation(dir, st); err != nil {
		t.Fatal(err)
	}
	r = ask(t, srv.URL, leaf, p.CitizenCA.Cert, nil)
	if r.Status != ocsp.Revoked || r.RevocationReason != ocsp.KeyCompromise || !r.RevokedAt.Equal(testNow) {
		t.Errorf("after revoke: status %d reason %d at %v", r.Status, r.RevocationReason, r.RevokedAt)
	}
	// The GET form answers the same.
	der, _ := ocsp.CreateRequest(leaf, p.CitizenCA.Cert, nil)
	res, err := http.Get(srv.URL + "/ocsp/" + base64.StdEncoding.EncodeToString(der))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if g, err := ocsp.ParseResponseForCert(body, leaf, p.CitizenCA.Cert); err != nil || g.Status != ocsp.Revoked {
		t.Errorf("GET: %+v, %v", g, err)
	}
}

func TestOCSPRefusesOtherIssuers(t *testing.T) {
	srv, _, _, leaf := servedPKI(t)
	other, err := virtualcard.NewPKI(virtualcard.FamilyEC, testNow)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := ocsp.CreateRequest(leaf, other.CitizenCA.Cert, nil)
	res, err := http.Post(srv.URL+"/ocsp", "application/ocsp-request", bytes.NewReader(der))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Equal(body, ocsp.UnauthorizedErrorResponse) {
		t.Errorf("a CA it does not run: %x, want unauthorized", body)
	}
}

func TestCRL(t *testing.T) {
	srv, dir, p, leaf := servedPKI(t)
	get := func() *x509.RevocationList {
		res, err := http.Get(leaf.CRLDistributionPoints[0])
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		crl, err := x509.ParseRevocationList(body)
		if err != nil {
			t.Fatalf("CRL: %v (%s)", err, body)
		}
		if err := crl.CheckSignatureFrom(p.CitizenCA.Cert); err != nil {
			t.Fatalf("CRL signature: %v", err)
		}
		return crl
	}
	if crl := get(); len(crl.RevokedCertificateEntries) != 0 || !crl.NextUpdate.After(testNow) {
		t.Errorf("fresh CRL lists %d, next update %v", len(crl.RevokedCertificateEntries), crl.NextUpdate)
	}
	st, _ := virtualcard.LoadRevocation(dir)
	st.Revoke(p.Family, "citizen-ca", leaf, 1, testNow)
	virtualcard.SaveRevocation(dir, st)
	crl := get()
	if len(crl.RevokedCertificateEntries) != 1 || crl.RevokedCertificateEntries[0].SerialNumber.Cmp(leaf.SerialNumber) != 0 {
		t.Errorf("after revoke the CRL lists %+v", crl.RevokedCertificateEntries)
	}
	if res, _ := http.Get(srv.URL + "/crl/ec-nobody.crl"); res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown CRL: %s", res.Status)
	}
}
