package verify

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"

	"golang.org/x/crypto/ocsp"
)

// oidOCSPNonce is the nonce extension (RFC 6960 4.4.1, RFC 8954).
var oidOCSPNonce = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}

// ocspNonceSize is what RFC 8954 recommends and the reference validators
// send.
const ocspNonceSize = 32

// ocspCertID identifies the certificate asked about (RFC 6960 4.1.1).
type ocspCertID struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	NameHash      []byte
	IssuerKeyHash []byte
	SerialNumber  *big.Int
}

func (id ocspCertID) equal(o ocspCertID) bool {
	return id.HashAlgorithm.Algorithm.Equal(o.HashAlgorithm.Algorithm) &&
		bytes.Equal(id.NameHash, o.NameHash) && bytes.Equal(id.IssuerKeyHash, o.IssuerKeyHash) &&
		id.SerialNumber != nil && o.SerialNumber != nil && id.SerialNumber.Cmp(o.SerialNumber) == 0
}

// ocspRequestASN1 is OCSPRequest without a signature; x/crypto/ocsp
// cannot add the nonce extension, so its request is re-encoded with it.
type ocspRequestASN1 struct {
	TBS ocspTBSRequest
}

type ocspTBSRequest struct {
	Version     int `asn1:"explicit,tag:0,default:0,optional"`
	RequestList []ocspSingleRequest
	Extensions  []pkix.Extension `asn1:"explicit,tag:2,optional"`
}

type ocspSingleRequest struct {
	CertID ocspCertID
}

// ocspRequest is a request ready to send, with what its answer must match.
type ocspRequest struct {
	der    []byte
	certID ocspCertID
	nonce  []byte // the raw random bytes
	extVal []byte // the nonce extension's value: the nonce as an OCTET STRING
}

// newOCSPRequest asks about cert with a SHA-1 CertID, as the reference
// validators and the Belgian clients do, and a random nonce.
func newOCSPRequest(cert, issuer *x509.Certificate) (*ocspRequest, error) {
	base, err := ocsp.CreateRequest(cert, issuer, nil)
	if err != nil {
		return nil, err
	}
	var r ocspRequestASN1
	if rest, err := asn1.Unmarshal(base, &r); err != nil || len(rest) > 0 || len(r.TBS.RequestList) != 1 {
		return nil, errors.New("unexpected request encoding")
	}
	out := &ocspRequest{certID: r.TBS.RequestList[0].CertID, nonce: make([]byte, ocspNonceSize)}
	if _, err := rand.Read(out.nonce); err != nil {
		return nil, err
	}
	if out.extVal, err = asn1.Marshal(out.nonce); err != nil {
		return nil, err
	}
	r.TBS.Extensions = []pkix.Extension{{Id: oidOCSPNonce, Value: out.extVal}}
	if out.der, err = asn1.Marshal(r); err != nil {
		return nil, err
	}
	return out, nil
}

// echoed tells whether ext carries this request's nonce. Besides the
// RFC's OCTET STRING it accepts the bare bytes, which some responders
// echo: either way the value is signed and unguessable.
func (r *ocspRequest) echoed(ext pkix.Extension) bool {
	return bytes.Equal(ext.Value, r.extVal) || bytes.Equal(ext.Value, r.nonce)
}
