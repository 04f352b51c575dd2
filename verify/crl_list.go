package verify

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"time"
)

// maxCRLSize bounds a download: the Belgian CAs' CRLs are megabytes.
const maxCRLSize = 64 << 20

// crlRetry is how soon a CRL already past its nextUpdate (but within the
// skew: the CA is late) is downloaded again.
const crlRetry = time.Minute

// crlList is a validated CRL, indexed by serial number.
type crlList struct {
	url                    string
	thisUpdate, nextUpdate time.Time
	revoked                map[string]crlEntry
}

type crlEntry struct {
	at     time.Time
	reason int
}

// download fetches the CRL at url and validates it against issuer; it is
// cached until its nextUpdate.
func (c *CRLChecker) download(url string, issuer *x509.Certificate) (*crlList, time.Time, error) {
	where := "CRL " + url
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, time.Time{}, detail(ErrRevocationUnreachable, "%s: %v", where, err)
	}
	body, err := c.http.fetch(req, maxCRLSize, where)
	if err != nil {
		return nil, time.Time{}, err
	}
	rl, err := parseCRL(body, issuer)
	if err != nil {
		return nil, time.Time{}, detail(ErrRevocationBadSignature, "%s: %v", where, err)
	}
	now := c.now()
	if err := checkCRLTimes(rl, now, c.skew); err != nil {
		return nil, time.Time{}, detail(ErrRevocationStale, "%s: %v", where, err)
	}
	l := &crlList{url: url, thisUpdate: rl.ThisUpdate, nextUpdate: rl.NextUpdate,
		revoked: make(map[string]crlEntry, len(rl.RevokedCertificateEntries))}
	for _, e := range rl.RevokedCertificateEntries {
		l.revoked[e.SerialNumber.Text(16)] = crlEntry{at: e.RevocationTime, reason: e.ReasonCode}
	}
	until := rl.NextUpdate
	if !now.Before(until) {
		until = minTime(now.Add(crlRetry), rl.NextUpdate.Add(c.skew))
	}
	return l, until, nil
}

// parseCRL parses a DER (or PEM) CRL and checks that issuer signed it
// and that nothing in it narrows or extends its meaning beyond a plain
// full CRL (a critical extension: delta CRL, distribution point scope,
// indirect entries).
func parseCRL(body []byte, issuer *x509.Certificate) (*x509.RevocationList, error) {
	if b, _ := pem.Decode(body); b != nil && b.Type == "X509 CRL" {
		body = b.Bytes
	}
	rl, err := x509.ParseRevocationList(body)
	if err != nil {
		return nil, fmt.Errorf("does not parse: %v", err)
	}
	if !bytes.Equal(rl.RawIssuer, issuer.RawSubject) {
		return nil, fmt.Errorf("issued by %q, not by the CA %q", rl.Issuer, issuer.Subject)
	}
	if err := rl.CheckSignatureFrom(issuer); err != nil {
		return nil, fmt.Errorf("not signed by the CA %q: %v", issuer.Subject, err)
	}
	for _, e := range rl.Extensions {
		if e.Critical {
			return nil, fmt.Errorf("unsupported critical extension %s", e.Id)
		}
	}
	for _, r := range rl.RevokedCertificateEntries {
		for _, e := range r.Extensions {
			if e.Critical {
				return nil, fmt.Errorf("unsupported critical entry extension %s", e.Id)
			}
		}
	}
	return rl, nil
}

func checkCRLTimes(rl *x509.RevocationList, now time.Time, skew time.Duration) error {
	switch {
	case rl.ThisUpdate.After(now.Add(skew)):
		return fmt.Errorf("thisUpdate %s is in the future", stamp(rl.ThisUpdate))
	case rl.NextUpdate.IsZero():
		return fmt.Errorf("no nextUpdate, so whether it is current cannot be told")
	case rl.NextUpdate.Before(now.Add(-skew)):
		return fmt.Errorf("nextUpdate %s has passed", stamp(rl.NextUpdate))
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
