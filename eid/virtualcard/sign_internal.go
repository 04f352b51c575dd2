package virtualcard

import (
	"crypto/ecdsa"

	"github.com/eidbridge/eidbridge/apdu"
)

// INTERNAL AUTHENTICATE (1.8): 00 88 <alg> 81 Lc 94 L CHL (§3.8).
const iaTagChallenge = 0x94

// iaHashLens: the algorithm byte names the hash the CHL came from, and
// pairs with the basic key's size: 01 SHA-256 / 256-bit, 02 SHA-384 /
// 384-bit, 04 SHA-512 / 512- and 521-bit keys.
var iaHashLens = map[byte]int{0x01: 32, 0x02: 48, 0x04: 64}

// internalAuthenticate signs the challenge hash with the basic key 81:
// no PIN needed, raw r‖s through 61xx/GET RESPONSE, and the SE is
// cleared, so a signature after it needs a new MSE.
//
// Status words follow 1.8 manual Table 37: an unknown algorithm in P1 is
// 6B00, a wrong tag or a CHL whose length does not fit the algorithm
// 6A80; 6700 is kept for a TLV length that disagrees with Lc. P2 names
// the key, so another key than 81 is 6A88, like a missing basic key.
//
// Applet 1.7 answers 6D00: its RSA variant exists but its format is not
// published, and no 1.7 client uses it. The 5000-use limit of 1.8 is not
// emulated; it would need a lifetime counter in the profile.
func (k *Card) internalAuthenticate(cmd apdu.Command) []byte {
	if !k.is18() {
		return swOnly(apdu.INSNotSupported)
	}
	if cmd.P2 != refBasicKey {
		return swOnly(apdu.ReferenceNotFound)
	}
	hashLen, ok := iaHashLens[cmd.P1]
	if !ok {
		return swOnly(apdu.WrongP1P2)
	}
	chl, sw := parseChallenge(cmd.Data)
	if sw != apdu.OK {
		return swOnly(sw)
	}
	if len(chl) != hashLen {
		return swOnly(apdu.IncorrectData)
	}
	key := k.content.BasicKey
	if key == nil {
		return swOnly(apdu.ReferenceNotFound)
	}
	if pub, ok := key.Public().(*ecdsa.PublicKey); !ok || iaAlgorithmFor(pub) != cmd.P1 {
		return swOnly(apdu.IncorrectData) // algorithm does not suit the key
	}
	sig, err := rawECDSA(key, chl)
	if err != nil {
		return swOnly(apdu.NoPreciseDiagnosis)
	}
	k.s.seKey, k.s.seAlg = 0, 0
	return k.respondLater(sig)
}

func iaAlgorithmFor(pub *ecdsa.PublicKey) byte {
	switch bits := pub.Curve.Params().BitSize; {
	case bits <= 256:
		return 0x01
	case bits <= 384:
		return 0x02
	}
	return 0x04
}

// parseChallenge reads the 94 TLV; its length may use the BER long forms
// 81 xx and 82 xx xx. A wrong tag is 6A80, lengths that disagree 6700.
func parseChallenge(d []byte) ([]byte, apdu.Status) {
	if len(d) < 2 {
		return nil, apdu.WrongLength
	}
	if d[0] != iaTagChallenge {
		return nil, apdu.IncorrectData
	}
	n, body := int(d[1]), d[2:]
	switch {
	case d[1] == 0x81 && len(body) >= 1:
		n, body = int(body[0]), body[1:]
	case d[1] == 0x82 && len(body) >= 2:
		n, body = int(body[0])<<8|int(body[1]), body[2:]
	case d[1] >= 0x80:
		return nil, apdu.IncorrectData
	}
	if n != len(body) {
		return nil, apdu.WrongLength
	}
	return body, apdu.OK
}
