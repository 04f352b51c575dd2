package verify

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/eid"
)

// rrnRevocation checks the RRN certificate with opts.Revocation, if any.
// eid.Verify has already chained it to opts.Roots; the chain is built
// again here because the checker needs the issuer.
func rrnRevocation(der []byte, opts IdentityOptions, now time.Time) (string, error) {
	if opts.Revocation == nil {
		return RevocationNotChecked, nil
	}
	rrn, err := eid.ParseCertificateFile(der)
	if err != nil {
		return "", fmt.Errorf("%w: RRN certificate: %v", ErrIdentity, err)
	}
	chains, err := rrn.Verify(x509.VerifyOptions{Roots: opts.Roots, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return "", fmt.Errorf("%w: RRN certificate chain: %v", ErrIdentity, err)
	}
	desc, err := checkRevocation(opts.Revocation, chains[0])
	if err != nil {
		return "", revocationError("RRN certificate", err)
	}
	return desc, nil
}
