package virtualcard

import (
	"crypto/rand"

	"github.com/eidbridge/eidbridge/apdu"
)

// getChallenge is GET CHALLENGE (00 84 00 00 Le): Le random bytes, 256
// for Le = 00. Neither manual lists it, but commons-eid uses it and
// OpenSC declares the card an RNG (beid-card.md §3.1), so both applets
// answer it here. Readers should not depend on it.
func (k *Card) getChallenge(cmd apdu.Command) []byte {
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return swOnly(apdu.IncorrectP1P2InData)
	}
	b := make([]byte, caseTwoLe(cmd))
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return swData(b)
}
