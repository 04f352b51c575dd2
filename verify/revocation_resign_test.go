package verify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
	"time"
)

// ocsp.CreateResponse cannot write responseExtensions, where RFC 6960
// puts the echoed nonce; withResponseExtensions re-encodes its answer
// with them and signs it again, as a standard responder would have.
type tResponse struct {
	Status asn1.Enumerated
	Bytes  tResponseBytes `asn1:"explicit,tag:0,optional"`
}

type tResponseBytes struct {
	Type     asn1.ObjectIdentifier
	Response []byte
}

type tBasic struct {
	TBS   asn1.RawValue
	Alg   pkix.AlgorithmIdentifier
	Sig   asn1.BitString
	Certs []asn1.RawValue `asn1:"explicit,tag:0,optional"`
}

type tData struct {
	Version     int `asn1:"optional,default:0,explicit,tag:0"`
	ResponderID asn1.RawValue
	ProducedAt  time.Time `asn1:"generalized"`
	Responses   []asn1.RawValue
	Exts        []pkix.Extension `asn1:"explicit,tag:1,optional"`
}

func withResponseExtensions(t testing.TB, der []byte, exts []pkix.Extension, key crypto.Signer) []byte {
	t.Helper()
	var outer tResponse
	var basic tBasic
	var data tData
	must := func(_ []byte, err error) {
		if err != nil {
			t.Fatalf("re-encoding the answer: %v", err)
		}
	}
	must(asn1.Unmarshal(der, &outer))
	must(asn1.Unmarshal(outer.Bytes.Response, &basic))
	must(asn1.Unmarshal(basic.TBS.FullBytes, &data))
	data.Exts = exts
	tbs, err := asn1.Marshal(data)
	must(nil, err)
	h := ocspHash(key.Public())
	d := h.New()
	d.Write(tbs)
	sig, err := key.Sign(rand.Reader, d.Sum(nil), h)
	must(nil, err)
	basic.TBS = asn1.RawValue{FullBytes: tbs}
	basic.Sig = asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}
	b, err := asn1.Marshal(basic)
	must(nil, err)
	outer.Bytes.Response = b
	out, err := asn1.Marshal(outer)
	must(nil, err)
	return out
}

// ocspHash is the hash ocsp.CreateResponse pairs with a key.
func ocspHash(pub crypto.PublicKey) crypto.Hash {
	if k, ok := pub.(*ecdsa.PublicKey); ok {
		switch k.Curve {
		case elliptic.P384():
			return crypto.SHA384
		case elliptic.P521():
			return crypto.SHA512
		}
	}
	return crypto.SHA256
}
