package verify

import "crypto/x509"

// OCSPOrCRL checks each certificate the way its CA offers: with OCSP
// when the certificate names a responder (or o has one configured),
// else with its CRL. A site that checks identity data needs it: a
// citizen's certificate names an OCSP responder, but a CA's own
// certificates, the National Register's among them, may name only a CRL.
func OCSPOrCRL(o *OCSPChecker, c *CRLChecker) RevocationReporter {
	return ocspOrCRL{o, c}
}

type ocspOrCRL struct {
	o *OCSPChecker
	c *CRLChecker
}

func (e ocspOrCRL) CheckRevocation(chain []*x509.Certificate) error {
	_, err := e.RevocationStatus(chain)
	return err
}

func (e ocspOrCRL) RevocationStatus(chain []*x509.Certificate) (string, error) {
	if len(chain) > 0 && e.o.responder == "" && len(chain[0].OCSPServer) == 0 {
		return e.c.RevocationStatus(chain)
	}
	return e.o.RevocationStatus(chain)
}
