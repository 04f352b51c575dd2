// Package pkiserve answers revocation checks for a virtual card's test
// PKI: OCSP (RFC 6960) at URL/ocsp and each CA's CRL at
// URL/crl/FAMILY-CA.crl, from the revocation state that `eidbridge vcard
// revoke` writes (virtualcard.RevocationState). It reads the PKI
// directory on every request, so a revocation shows at once. It is a
// test service: responses are signed by the CAs themselves, and every
// certificate that was not revoked is "good".
package pkiserve

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// Validity of a response or CRL: a site caches it until then. Short,
// because this service exists to show a revocation: `vcard revoke` is
// seen by a site within a minute.
const validity = time.Minute

// Server is the revocation service for the PKI in Dir.
type Server struct {
	Dir string
	Now func() time.Time // time.Now when nil
}

// ServeHTTP answers POST /ocsp, GET /ocsp/BASE64 and GET /crl/NAME.crl.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ocsp", s.ocspPost)
	mux.HandleFunc("GET /ocsp/{req...}", s.ocspGet)
	mux.HandleFunc("GET /crl/{name}", s.crl)
	mux.ServeHTTP(w, r)
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// pkis loads every key family the directory holds.
func (s *Server) pkis() ([]*virtualcard.PKI, virtualcard.RevocationState, error) {
	st, err := virtualcard.LoadRevocation(s.Dir)
	if err != nil {
		return nil, st, err
	}
	var out []*virtualcard.PKI
	for _, family := range []string{virtualcard.FamilyRSA, virtualcard.FamilyEC} {
		if _, err := os.Stat(filepath.Join(s.Dir, family)); err != nil {
			continue
		}
		p, err := virtualcard.LoadPKI(s.Dir, family)
		if err != nil {
			return nil, st, err
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, st, fmt.Errorf("no test PKI in %s", s.Dir)
	}
	return out, st, nil
}

// caNames are the CAs that issue certificates a site may check.
var caNames = []string{"root", "citizen-ca", "foreigner-ca"}
