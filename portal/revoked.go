package portal

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/verify"
)

// logRevoked records a revoked card's attempt: by the citizen's internal
// id when the portal knows them (a stolen card used by a thief), "none"
// otherwise; never the national number. The token is only read for the
// name here: it did not verify.
func (p *Portal) logRevoked(r *http.Request, token []byte) {
	id := "none"
	if nn := unverifiedNN(token); nn != "" {
		if c, err := findCitizen(r.Context(), p.db, "national_number", nn); err == nil && c != nil {
			id = strconv.FormatInt(c.ID, 10)
		}
	}
	p.event(r, evEIDRevoked, "citizen", id)
}

// unverifiedNN is the national number in the token's certificate subject
// (serialNumber), or "" when there is none.
func unverifiedNN(token []byte) string {
	t, err := verify.ParseToken(token)
	if err != nil {
		return ""
	}
	der, err := base64.StdEncoding.DecodeString(t.UnverifiedCertificate)
	if err != nil {
		return ""
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return ""
	}
	for _, a := range c.Subject.Names {
		if s, ok := a.Value.(string); ok && a.Type.Equal(oidSerialNumber) {
			if nn, err := eid.ParseNationalNumber(s); err == nil {
				return nn.Digits
			}
		}
	}
	return ""
}

var oidSerialNumber = asn1.ObjectIdentifier{2, 5, 4, 5}
