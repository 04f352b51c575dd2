package virtualcard

import (
	"crypto"
	"crypto/ecdsa"

	"github.com/eidbridge/eidbridge/apdu"
)

// Key references (beid-card.md §2.3).
const (
	refBasicKey  = 0x81
	refAuthKey   = 0x82
	refNonRepKey = 0x83
)

// MSE:SET header and data tags (§3.5): 00 22 41 B6 05 04 80 <alg> 84 <key>.
const (
	mseSet       = 0x41
	mseDST       = 0xB6
	mseDataLen   = 5
	mseLenPrefix = 0x04
	mseTagAlg    = 0x80
	mseTagKey    = 0x84
)

// manageSE is MSE:SET. The data must be exactly the 5 bytes every client
// sends; the algorithm byte must be one the applet knows (§3.5 table) and
// the key 82 or 83 present on this card, or on 1.8 the basic key 81 (see
// basicKeySE). Any failure leaves no SE, so a later PSO cannot run with a
// key the host no longer meant. A wrong P1-P2 is 6B00, as in the status
// tables of both manuals.
//
// Key 81 on 1.7 stays 6A88 (key not found): the 1.7 manual names only 82
// and 83 for MSE, its RSA basic key has no published use, and no client
// sends this MSE to a 1.7 card.
//
// Whether DF00 must be current (eid-mw says so for 1.7+, the manuals are
// silent) is not enforced: nothing shows a card refusing otherwise.
func (k *Card) manageSE(cmd apdu.Command) []byte {
	if cmd.P1 != mseSet || cmd.P2 != mseDST {
		return swOnly(apdu.WrongP1P2)
	}
	k.s.seKey, k.s.seAlg = 0, 0
	d := cmd.Data
	if len(d) != mseDataLen {
		return swOnly(apdu.WrongLength)
	}
	if d[0] != mseLenPrefix || d[1] != mseTagAlg || d[3] != mseTagKey {
		return swOnly(apdu.IncorrectData)
	}
	if d[4] == refBasicKey && k.is18() {
		return swOnly(k.basicKeySE(d[2]))
	}
	if !k.algorithmKnown(d[2]) {
		return swOnly(apdu.IncorrectData)
	}
	if k.signingKey(d[4]) == nil {
		return swOnly(apdu.ReferenceNotFound)
	}
	k.s.seKey, k.s.seAlg = d[4], d[2]
	return swOnly(apdu.OK)
}

// basicKeySE is MSE with key 81 on 1.8. The manual lists only 82 and 83,
// but commons-eid sends this MSE before INTERNAL AUTHENTICATE and gives up
// unless it gets 9000, which real 1.8 cards answer. The algorithm must be
// the IA one for the basic key's size (01/02/04). The SE records key 81,
// which signingKey does not name, so a PSO after it answers 6985; IA needs
// no SE and works with or without this one.
func (k *Card) basicKeySE(alg byte) apdu.Status {
	if _, ok := iaHashLens[alg]; !ok {
		return apdu.IncorrectData
	}
	if k.content.BasicKey == nil {
		return apdu.ReferenceNotFound
	}
	pub, ok := k.content.BasicKey.Public().(*ecdsa.PublicKey)
	if !ok || iaAlgorithmFor(pub) != alg {
		return apdu.IncorrectData
	}
	k.s.seKey, k.s.seAlg = refBasicKey, alg
	return apdu.OK
}

// algorithmKnown: 1.7 has PKCS#1 v1.5 (01 DigestInfo, 02 SHA-1, 04 MD5,
// 08 SHA-256) and PSS (10 SHA-1, 20 SHA-256); 1.8 has ECDSA with
// SHA-256/384/512 (01/02/04), SHA3-256/384/512 (08/10/20) and an
// unspecified hash (40).
func (k *Card) algorithmKnown(alg byte) bool {
	if k.is18() {
		_, ok := ecdsaDigestLens[alg]
		return ok
	}
	_, ok := rsaAlgorithms[alg]
	return ok
}

// signingKey is the private key a PSO may use: 82 or 83, when the card
// has it (a kids card may lack the authentication key). The basic key 81
// signs only through INTERNAL AUTHENTICATE, so it is nil here.
func (k *Card) signingKey(ref byte) crypto.Signer {
	switch ref {
	case refAuthKey:
		return k.content.AuthKey
	case refNonRepKey:
		return k.content.SignKey
	}
	return nil
}
