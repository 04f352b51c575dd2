package verify

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/crypto/ocsp"
)

// OCSPConfig configures an OCSPChecker. The zero value is usable.
type OCSPConfig struct {
	// Responder, when set, is asked instead of the certificate's Authority
	// Information Access OCSP URL.
	Responder string
	// Client makes the requests; nil means a client with Timeout.
	Client *http.Client
	// Timeout bounds one check; 0 means 5 s, as the reference validators.
	Timeout time.Duration
	// Skew is the clock skew allowed on thisUpdate and nextUpdate; 0
	// means 15 minutes, as the reference validators.
	Skew time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// OCSPChecker checks certificates with their CA's OCSP responder
// (RFC 6960). It is safe for concurrent use: answers are cached per
// issuer and serial until their nextUpdate (5 minutes when they have
// none), and concurrent checks of one certificate share one request.
type OCSPChecker struct {
	responder string
	http      fetcher
	skew      time.Duration
	now       func() time.Time
	cache     flightCache[ocspAnswer]
}

// Defaults and bounds of the OCSP checker.
const (
	defaultOCSPTimeout = 5 * time.Second
	maxOCSPResponse    = 256 << 10
	// ocspNoNonceMaxAge: an answer that does not echo our nonce is only
	// taken when its thisUpdate is this recent, as the Belgian
	// government's own OCSP client (jTrust) requires of every answer.
	ocspNoNonceMaxAge = 5 * time.Minute
)

// ocspAnswer is a validated answer: good or revoked.
type ocspAnswer struct {
	url                               string
	status, reason                    int
	thisUpdate, nextUpdate, revokedAt time.Time
}

// NewOCSPChecker returns a checker with cfg's settings and defaults.
func NewOCSPChecker(cfg OCSPConfig) *OCSPChecker {
	c := &OCSPChecker{responder: cfg.Responder, skew: cfg.Skew, now: cfg.Now,
		http: newFetcher(cfg.Client, cfg.Timeout, defaultOCSPTimeout)}
	if c.skew <= 0 {
		c.skew = defaultSkew
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// CheckRevocation implements RevocationChecker.
func (c *OCSPChecker) CheckRevocation(chain []*x509.Certificate) error {
	_, err := c.RevocationStatus(chain)
	return err
}

// RevocationStatus implements RevocationReporter.
func (c *OCSPChecker) RevocationStatus(chain []*x509.Certificate) (string, error) {
	cert, issuer, err := subjectAndIssuer(chain)
	if err != nil {
		return "", err
	}
	url, err := c.responderURL(cert)
	if err != nil {
		return "", err
	}
	a, err := c.cache.load(certKey(cert, issuer), c.now, func() (ocspAnswer, time.Time, error) {
		return c.ask(cert, issuer, url)
	})
	if err != nil {
		return "", err
	}
	return a.verdict(cert)
}

func (c *OCSPChecker) responderURL(cert *x509.Certificate) (string, error) {
	if c.responder != "" {
		return c.responder, nil
	}
	for _, u := range cert.OCSPServer {
		if httpURL(u) {
			return u, nil
		}
	}
	return "", detail(ErrRevocationUnreachable, "%s: the certificate names no http OCSP responder",
		serialText(cert.SerialNumber))
}

// ask sends one request with a fresh nonce and validates the answer.
func (c *OCSPChecker) ask(cert, issuer *x509.Certificate, url string) (ocspAnswer, time.Time, error) {
	where := fmt.Sprintf("%s, OCSP %s", serialText(cert.SerialNumber), url)
	req, err := newOCSPRequest(cert, issuer)
	if err != nil {
		return ocspAnswer{}, time.Time{}, fmt.Errorf("%w: %s: building the request: %v", ErrRevocation, where, err)
	}
	hreq, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(req.der))
	if err != nil {
		return ocspAnswer{}, time.Time{}, detail(ErrRevocationUnreachable, "%s: %v", where, err)
	}
	hreq.Header.Set("Content-Type", "application/ocsp-request")
	hreq.Header.Set("Accept", "application/ocsp-response")
	body, err := c.http.fetch(hreq, maxOCSPResponse, where)
	if err != nil {
		return ocspAnswer{}, time.Time{}, err
	}
	now := c.now()
	a, err := c.validate(body, cert, issuer, req, now, where)
	if err != nil {
		return ocspAnswer{}, time.Time{}, err
	}
	a.url = url
	until := a.nextUpdate
	if until.IsZero() {
		until = now.Add(defaultFreshness)
	}
	return a, until, nil
}

// verdict turns a validated answer into the check's result.
func (a ocspAnswer) verdict(cert *x509.Certificate) (string, error) {
	if a.status == ocsp.Revoked {
		return "", detail(ErrRevoked, "%s revoked at %s, reason %s (OCSP %s)",
			serialText(cert.SerialNumber), stamp(a.revokedAt), reasonName(a.reason), a.url)
	}
	s := fmt.Sprintf("good: OCSP at %s, thisUpdate %s", a.url, stamp(a.thisUpdate))
	if !a.nextUpdate.IsZero() {
		s += ", nextUpdate " + stamp(a.nextUpdate)
	}
	return s, nil
}
