package pkiserve

import (
	"crypto/rand"
	"crypto/x509"
	"math/big"
	"net/http"
	"strings"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// crl serves the CRL of one CA, named FAMILY-CA.crl as the certificates
// name it (PKI.CRLURL), freshly signed.
func (s *Server) crl(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("name"), ".crl")
	family, ca, ok2 := strings.Cut(name, "-")
	if !ok || !ok2 {
		http.NotFound(w, r)
		return
	}
	pkis, st, err := s.pkis()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for _, p := range pkis {
		if iss := p.CA(ca); p.Family == family && iss != nil {
			der, err := s.makeCRL(p.Family, ca, iss, st)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/pkix-crl")
			w.Write(der)
			return
		}
	}
	http.NotFound(w, r)
}

// makeCRL lists what the CA named ca of family revoked. The CRL number
// is the time in seconds, so that it grows as RFC 5280 wants.
func (s *Server) makeCRL(family, ca string, iss *virtualcard.Issuer, st virtualcard.RevocationState) ([]byte, error) {
	now := s.now().UTC()
	tmpl := &x509.RevocationList{Number: big.NewInt(now.Unix()), ThisUpdate: now.Add(-backdate), NextUpdate: now.Add(validity)}
	for _, r := range st.Revoked {
		if r.Family != family || r.Issuer != ca {
			continue
		}
		serial, ok := new(big.Int).SetString(r.Serial, 16)
		if !ok {
			continue
		}
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries,
			x509.RevocationListEntry{SerialNumber: serial, RevocationTime: r.Time, ReasonCode: r.Reason})
	}
	return x509.CreateRevocationList(rand.Reader, tmpl, iss.Cert, iss.Key)
}
