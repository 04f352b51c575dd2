package virtualcard

import (
	"crypto"
	// Register every hash the algorithms name: PSS calls opts.Hash.New(),
	// which panics for a hash that is not linked in.
	_ "crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1"
	_ "crypto/sha256"

	"github.com/eidbridge/eidbridge/apdu"
)

// rsaAlgorithm is what a 1.7 algorithm byte asks of the card: how long
// the input must be (0: a DigestInfo up to the padding limit) and how to
// pad it.
type rsaAlgorithm struct {
	inputLen int
	opts     crypto.SignerOpts
}

// rsaAlgorithms maps the 1.7 algorithm bytes (beid-card.md §3.5). 01
// pads the caller's DigestInfo as is; 02/04/08 take a bare hash and the
// card adds its DigestInfo; 10/20 are PSS with the salt as long as the
// hash and MGF1 with the same hash (assumed, the details are unpublished).
var rsaAlgorithms = map[byte]rsaAlgorithm{
	0x01: {0, crypto.Hash(0)},
	0x02: {20, crypto.SHA1},
	0x04: {16, crypto.MD5},
	0x08: {32, crypto.SHA256},
	0x10: {20, &rsa.PSSOptions{SaltLength: 20, Hash: crypto.SHA1}},
	0x20: {32, &rsa.PSSOptions{SaltLength: 32, Hash: crypto.SHA256}},
}

// pkcs1Overhead is the type-1 padding around a DigestInfo: 00 01, at
// least 8 FF bytes, 00. It makes 245 bytes the limit on RSA-2048.
const pkcs1Overhead = 11

// signRSA returns the raw RSA result, as long as the modulus.
func signRSA(key crypto.Signer, alg byte, data []byte) ([]byte, apdu.Status) {
	pub, ok := key.Public().(*rsa.PublicKey)
	if !ok {
		return nil, apdu.ConditionsNotMet // a 1.7 card holding a non-RSA key
	}
	a, ok := rsaAlgorithms[alg]
	if !ok {
		return nil, apdu.ConditionsNotMet
	}
	switch {
	case a.inputLen == 0 && (len(data) == 0 || len(data) > pub.Size()-pkcs1Overhead):
		return nil, apdu.WrongLength
	case a.inputLen != 0 && len(data) != a.inputLen:
		return nil, apdu.WrongLength
	}
	sig, err := key.Sign(rand.Reader, data, a.opts)
	if err != nil {
		return nil, apdu.NoPreciseDiagnosis
	}
	return sig, apdu.OK
}
