package verify

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/ocsp"
)

// ocspResponseData is the part of ResponseData that x/crypto/ocsp does
// not expose: every single response's CertID and the response
// extensions, where RFC 6960 puts the echoed nonce. Trailing fields of
// each SingleResponse are ignored here (ocsp parses them).
type ocspResponseData struct {
	Version     int `asn1:"optional,default:0,explicit,tag:0"`
	ResponderID asn1.RawValue
	ProducedAt  time.Time `asn1:"generalized"`
	Responses   []struct{ CertID ocspCertID }
	Extensions  []pkix.Extension `asn1:"explicit,tag:1,optional"`
}

// validate checks an answer to req: form, signer, that it answers this
// request, freshness, status. Only good and revoked answers pass.
func (c *OCSPChecker) validate(body []byte, cert, issuer *x509.Certificate, req *ocspRequest, now time.Time, where string) (ocspAnswer, error) {
	resp, err := ocsp.ParseResponseForCert(body, cert, nil)
	if err != nil {
		return ocspAnswer{}, ocspParseError(err, where)
	}
	if err := checkOCSPSigner(resp, issuer, now); err != nil {
		return ocspAnswer{}, detail(ErrRevocationBadSignature, "%s: %v", where, err)
	}
	echoed, err := matchOCSPRequest(resp, req)
	if err != nil {
		return ocspAnswer{}, detail(ErrRevocationBadSignature, "%s: %v", where, err)
	}
	if err := checkOCSPTimes(resp, now, c.skew, echoed); err != nil {
		return ocspAnswer{}, detail(ErrRevocationStale, "%s: %v", where, err)
	}
	a := ocspAnswer{status: resp.Status, thisUpdate: resp.ThisUpdate, nextUpdate: resp.NextUpdate}
	switch resp.Status {
	case ocsp.Good:
	case ocsp.Revoked:
		a.revokedAt, a.reason = resp.RevokedAt, resp.RevocationReason
	default:
		return ocspAnswer{}, detail(ErrRevocationUnknown, "%s: status unknown", where)
	}
	return a, nil
}

// ocspParseError classifies an answer that does not parse: an unsigned
// error status from the responder, or a malformed answer.
func ocspParseError(err error, where string) error {
	var re ocsp.ResponseError
	switch {
	case errors.As(err, &re) && re.Status == ocsp.Unauthorized:
		// RFC 5019: what a responder answers for a certificate it has no
		// status for.
		return detail(ErrRevocationUnknown, "%s: responder answered %q", where, re.Status)
	case errors.As(err, &re):
		return detail(ErrRevocationUnreachable, "%s: responder answered %q", where, re.Status)
	}
	return detail(ErrRevocationBadSignature, "%s: malformed answer: %v", where, err)
}

// checkOCSPSigner accepts the issuing CA itself or a delegated responder
// that the CA issued for OCSP signing (RFC 6960 4.2.2.2). When the answer
// carries a certificate, ocsp.ParseResponseForCert has already checked
// that it signed the answer.
func checkOCSPSigner(resp *ocsp.Response, issuer *x509.Certificate, now time.Time) error {
	r := resp.Certificate
	if r == nil || bytes.Equal(r.Raw, issuer.Raw) {
		if err := resp.CheckSignatureFrom(issuer); err != nil {
			return fmt.Errorf("answer not signed by the CA %q: %v", issuer.Subject, err)
		}
		return nil
	}
	switch {
	case !bytes.Equal(r.RawIssuer, issuer.RawSubject):
		return fmt.Errorf("responder certificate %q is issued by %q, not by the CA %q", r.Subject, r.Issuer, issuer.Subject)
	case r.CheckSignatureFrom(issuer) != nil:
		return fmt.Errorf("responder certificate %q is not signed by the CA %q", r.Subject, issuer.Subject)
	case !slices.Contains(r.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning):
		return fmt.Errorf("responder certificate %q lacks the OCSP-signing extended key usage", r.Subject)
	case now.Before(r.NotBefore) || now.After(r.NotAfter):
		return fmt.Errorf("responder certificate %q is not valid at %s", r.Subject, stamp(now))
	}
	return nil
}

// matchOCSPRequest requires exactly one answer, about the certificate
// asked for, and the request's nonce if one is echoed. It tells whether
// the nonce was echoed: in the response extensions, as RFC 6960 has it,
// or in the single response's (where responders built on x/crypto/ocsp
// can only put it); both are signed.
func matchOCSPRequest(resp *ocsp.Response, req *ocspRequest) (bool, error) {
	var rd ocspResponseData
	if rest, err := asn1.Unmarshal(resp.TBSResponseData, &rd); err != nil || len(rest) > 0 {
		return false, fmt.Errorf("malformed response data: %v", err)
	}
	if len(rd.Responses) != 1 || !rd.Responses[0].CertID.equal(req.certID) {
		return false, fmt.Errorf("answer holds %d responses, not exactly one about the certificate asked for", len(rd.Responses))
	}
	for _, e := range rd.Extensions {
		if e.Critical && !e.Id.Equal(oidOCSPNonce) {
			return false, fmt.Errorf("unsupported critical extension %s", e.Id)
		}
	}
	found, echoed := false, false
	for _, e := range slices.Concat(rd.Extensions, resp.Extensions) {
		if e.Id.Equal(oidOCSPNonce) {
			found = true
			echoed = echoed || req.echoed(e)
		}
	}
	if found && !echoed {
		return false, errors.New("nonce differs from the request's: replayed, or an answer to another request")
	}
	return echoed, nil
}

// checkOCSPTimes applies RFC 6960 4.2.2.1 with skew; without an echoed
// nonce only a recent thisUpdate shows the answer is not a replay.
func checkOCSPTimes(resp *ocsp.Response, now time.Time, skew time.Duration, echoed bool) error {
	switch {
	case resp.ThisUpdate.After(now.Add(skew)):
		return fmt.Errorf("thisUpdate %s is in the future", stamp(resp.ThisUpdate))
	case !resp.NextUpdate.IsZero() && resp.NextUpdate.Before(resp.ThisUpdate):
		return fmt.Errorf("nextUpdate %s is before thisUpdate %s", stamp(resp.NextUpdate), stamp(resp.ThisUpdate))
	case !resp.NextUpdate.IsZero() && resp.NextUpdate.Before(now.Add(-skew)):
		return fmt.Errorf("nextUpdate %s has passed", stamp(resp.NextUpdate))
	case !echoed && resp.ThisUpdate.Before(now.Add(-ocspNoNonceMaxAge)):
		return fmt.Errorf("no nonce echoed and thisUpdate %s is older than %s", stamp(resp.ThisUpdate), ocspNoNonceMaxAge)
	}
	return nil
}
