package virtualcard

import "github.com/eidbridge/eidbridge/apdu"

// PSO: COMPUTE DIGITAL SIGNATURE header (00 2A 9E 9A).
const (
	psoSignatureOut = 0x9E
	psoDataIn       = 0x9A
)

// computeSignature is PSO: COMPUTE DIGITAL SIGNATURE with the key and
// algorithm of the current SE (beid-card.md §3.6). It checks, in order:
// P1-P2 (6B00), an SE with a signing key (6985; an SE on the basic key 81
// does not count), the PIN right of that key (6982), the input length
// for the algorithm (6700). The signature is a case 4 answer: 61xx, then GET
// RESPONSE (61 00 for RSA-2048's 256 bytes, 61 60 for P-384's 96).
//
// Any PSO with key 83 uses up the one-shot right, whatever its outcome:
// each non-repudiation signature needs its own VERIFY (§3.7).
func (k *Card) computeSignature(cmd apdu.Command) []byte {
	if cmd.P1 != psoSignatureOut || cmd.P2 != psoDataIn {
		return swOnly(apdu.WrongP1P2)
	}
	key := k.signingKey(k.s.seKey)
	if key == nil {
		return swOnly(apdu.ConditionsNotMet)
	}
	if sw := k.takeSignRight(); sw != apdu.OK {
		return swOnly(sw)
	}
	var sig []byte
	var sw apdu.Status
	if k.is18() {
		sig, sw = signECDSA(key, k.s.seAlg, cmd.Data)
	} else {
		sig, sw = signRSA(key, k.s.seAlg, cmd.Data)
	}
	if sw != apdu.OK {
		return swOnly(sw)
	}
	return k.respondLater(sig)
}

// takeSignRight checks the PIN condition of the SE key: "PIN once" for
// the authentication key, the one-shot right (consumed here) for the
// non-repudiation key. A persistent right does not open key 83.
func (k *Card) takeSignRight() apdu.Status {
	if k.s.seKey == refNonRepKey {
		ok := k.s.nonrep
		k.s.nonrep = false
		if !ok {
			return apdu.SecurityNotSatisfied
		}
		return apdu.OK
	}
	if !k.s.chv {
		return apdu.SecurityNotSatisfied
	}
	return apdu.OK
}
