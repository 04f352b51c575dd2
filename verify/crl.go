package verify

import (
	"crypto/x509"
	"fmt"
	"net/http"
	"time"
)

// CRLConfig configures a CRLChecker. The zero value is usable.
type CRLConfig struct {
	// Client downloads the CRLs; nil means a client with Timeout.
	Client *http.Client
	// Timeout bounds one download; 0 means 10 s (a CRL can be megabytes).
	Timeout time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Skew is the clock skew allowed on thisUpdate and nextUpdate; 0
	// means 15 minutes.
	Skew time.Duration
}

// CRLChecker checks certificates against their CA's CRL, from the
// certificate's CRL Distribution Points. It is safe for concurrent use:
// each CRL is kept, parsed, until its nextUpdate and then downloaded
// again, and concurrent checks needing one CRL share one download.
type CRLChecker struct {
	http  fetcher
	skew  time.Duration
	now   func() time.Time
	cache flightCache[*crlList]
}

const defaultCRLTimeout = 10 * time.Second

// NewCRLChecker returns a checker with cfg's settings and defaults.
func NewCRLChecker(cfg CRLConfig) *CRLChecker {
	c := &CRLChecker{skew: cfg.Skew, now: cfg.Now, http: newFetcher(cfg.Client, cfg.Timeout, defaultCRLTimeout)}
	if c.skew <= 0 {
		c.skew = defaultSkew
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// CheckRevocation implements RevocationChecker.
func (c *CRLChecker) CheckRevocation(chain []*x509.Certificate) error {
	_, err := c.RevocationStatus(chain)
	return err
}

// RevocationStatus implements RevocationReporter. Distribution points
// are tried in order until one gives a valid CRL.
func (c *CRLChecker) RevocationStatus(chain []*x509.Certificate) (string, error) {
	cert, issuer, err := subjectAndIssuer(chain)
	if err != nil {
		return "", err
	}
	err = detail(ErrRevocationUnreachable, "%s: the certificate names no http CRL distribution point",
		serialText(cert.SerialNumber))
	for _, url := range cert.CRLDistributionPoints {
		if !httpURL(url) {
			continue
		}
		var l *crlList
		l, err = c.cache.load(url+"|"+issuerKey(issuer), c.now, func() (*crlList, time.Time, error) {
			return c.download(url, issuer)
		})
		if err == nil {
			return l.verdict(cert)
		}
		// The list is shared by many certificates: name this one here.
		err = fmt.Errorf("%w (%s)", err, serialText(cert.SerialNumber))
	}
	return "", err
}

// verdict looks the certificate up in a validated list.
func (l *crlList) verdict(cert *x509.Certificate) (string, error) {
	if e, ok := l.revoked[cert.SerialNumber.Text(16)]; ok {
		return "", detail(ErrRevoked, "%s revoked at %s, reason %s (CRL %s)",
			serialText(cert.SerialNumber), stamp(e.at), reasonName(e.reason), l.url)
	}
	return fmt.Sprintf("good: not in the CRL at %s, thisUpdate %s, nextUpdate %s",
		l.url, stamp(l.thisUpdate), stamp(l.nextUpdate)), nil
}
