// Package webeidtest makes Web eID authentication tokens as a card and
// the agent would, from a key held in memory: for tests and benchmarks
// of relying parties, which must not depend on the agent's own code.
package webeidtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
)

// Token signs H(H(origin) ‖ H(nonce)) with key, whose certificate is
// cert: ECDSA P-384 as ES384 with a raw r‖s signature, anything else as
// RS256 (PKCS#1 v1.5), and returns the web-eid:1.0 token.
func Token(key crypto.Signer, cert *x509.Certificate, origin, nonce string) ([]byte, error) {
	alg, h := "RS256", crypto.SHA256
	if k, ok := key.Public().(*ecdsa.PublicKey); ok && k.Curve.Params().BitSize == 384 {
		alg, h = "ES384", crypto.SHA384
	}
	sum := func(b []byte) []byte { w := h.New(); w.Write(b); return w.Sum(nil) }
	sig, err := key.Sign(rand.Reader, sum(append(sum([]byte(origin)), sum([]byte(nonce))...)), h)
	if err != nil {
		return nil, fmt.Errorf("webeidtest: signing: %w", err)
	}
	if alg == "ES384" {
		if sig, err = rawECDSA(sig, 48); err != nil {
			return nil, err
		}
	}
	return json.Marshal(map[string]string{
		"unverifiedCertificate": base64.StdEncoding.EncodeToString(cert.Raw),
		"algorithm":             alg, "signature": base64.StdEncoding.EncodeToString(sig),
		"format": "web-eid:1.0", "appVersion": "https://eidbridge.example/agent/test",
	})
}

// rawECDSA turns an ASN.1 ECDSA signature into r‖s, each size bytes, as
// the card returns it and JWS wants it.
func rawECDSA(der []byte, size int) ([]byte, error) {
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &rs); err != nil {
		return nil, fmt.Errorf("webeidtest: ECDSA signature: %w", err)
	}
	out := make([]byte, 2*size)
	rs.R.FillBytes(out[:size])
	rs.S.FillBytes(out[size:])
	return out, nil
}
