package integration

import (
	"testing"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/pcsc"
)

// TestSignAfterPCSCDRestart signs, restarts pcscd, and signs again with
// the same pcsc.Context (and certificate cache), as a long-running agent
// would: no process restart, only a new connection to the card.
func TestSignAfterPCSCDRestart(t *testing.T) {
	needRestart(t)
	pc := newContext(t)
	insert(t, pc, virtualcard.New(loadFixture(t, "citizen-1.8")))
	var cache eid.CertCache
	signVerified(t, pc, &cache, "before the restart")
	restartPCSCD(t)
	waitCard(t, pc, true)
	signVerified(t, pc, &cache, "after the restart")
}

// signVerified connects, signs with the authentication key and checks
// the signature.
func signVerified(t *testing.T, pc *pcsc.Context, cache *eid.CertCache, msg string) {
	t.Helper()
	_, card := openEID(t, pc)
	s, err := cache.Signer(card, eid.KeyAuth, pin1234)
	if err != nil {
		t.Fatalf("%s: Signer: %v", msg, err)
	}
	h := signHash(card)
	digest := hashOf(h, msg)
	sig, err := signWithin(s, h, digest, waitFor)
	if err != nil {
		t.Fatalf("%s: %v", msg, err)
	}
	if err := verifySig(s, h, digest, sig); err != nil {
		t.Errorf("%s: %v", msg, err)
	}
}
