package virtualcard

import (
	"crypto/ecdsa"
	"math/big"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
)

// ptSignedOn18 leaves a 96-byte signature waiting for GET RESPONSE.
func ptSignedOn18(t *testing.T, opts ...Option) *Card {
	k := ptCard(t, Applet18, opts...)
	ptRun(t, k, []ptStep{{ptVerify1234, 0x9000}, {ptMSEAuth, 0x9000}, {ptPSO(Applet18), 0x6160}})
	return k
}

func ptVerifyRS(t *testing.T, sig []byte) {
	t.Helper()
	digest := ptPattern(48, 9) // what ptPSO(Applet18) signs
	r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
	if len(sig) != 96 || !ecdsa.Verify(&ptECAuth.PublicKey, digest, r, s) {
		t.Errorf("signature of %d bytes does not verify", len(sig))
	}
}

func TestGetResponse(t *testing.T) {
	t.Run("wrong Le keeps the data", func(t *testing.T) {
		k := ptSignedOn18(t)
		ptRun(t, k, []ptStep{{"00 C0 00 00 61", 0x6C60}, {"00 C0 00 00", 0x6C60}})
		sig, sw := ptSend(t, k, ptHex(t, "00 C0 00 00 60"))
		if sw != 0x9000 {
			t.Fatalf("GET RESPONSE 60: %04X", sw)
		}
		ptVerifyRS(t, sig)
		ptRun(t, k, []ptStep{{"00 C0 00 00 60", 0x6985}}) // served once
	})
	t.Run("in parts", func(t *testing.T) {
		k := ptSignedOn18(t)
		a, sw := ptSend(t, k, ptHex(t, "00 C0 00 00 10"))
		if sw != 0x6150 || len(a) != 16 {
			t.Fatalf("first part: %04X, %d bytes", sw, len(a))
		}
		b, sw := ptSend(t, k, ptHex(t, "00 C0 00 00 50"))
		if sw != 0x9000 {
			t.Fatalf("second part: %04X", sw)
		}
		ptVerifyRS(t, append(a, b...))
	})
	t.Run("another command drops the data", func(t *testing.T) {
		k := ptSignedOn18(t)
		ptRun(t, k, []ptStep{{ptCardData, 0x9000}, {"00 C0 00 00 60", 0x6985}})
	})
	t.Run("wrong P1", func(t *testing.T) {
		k := ptSignedOn18(t)
		ptRun(t, k, []ptStep{{"00 C0 01 00 60", 0x6A86}, {"00 C0 00 00 60", 0x6985}})
	})
	t.Run("nothing to fetch", func(t *testing.T) {
		ptRun(t, ptCard(t, Applet17), []ptStep{{"00 C0 00 00 10", 0x6985}})
	})
	t.Run("256 bytes on 1.7", func(t *testing.T) {
		k := ptCard(t, Applet17)
		ptRun(t, k, []ptStep{{ptVerify1234, 0x9000}, {ptMSEAuth, 0x9000}, {ptPSO(Applet17), 0x6100}})
		if sig, sw := ptSend(t, k, ptHex(t, "00 C0 00 00 00")); sw != 0x9000 || len(sig) != 256 {
			t.Errorf("GET RESPONSE 00: %04X, %d bytes", sw, len(sig))
		}
	})
}

// apdu.Exchange (what eid.OverRaw uses) follows 61xx on its own; the
// card-side trace sees the PSO and the GET RESPONSE.
func TestSignThroughExchange(t *testing.T) {
	var c apdu.Counter
	k := ptCard(t, Applet18, WithTracer(c.Trace))
	ptRun(t, k, []ptStep{{ptVerify1234, 0x9000}, {ptMSEAuth, 0x9000}})
	before, _, _ := c.Snapshot()
	resp, err := apdu.Exchange(k, apdu.Command{INS: 0x2A, P1: 0x9E, P2: 0x9A, Data: ptPattern(48, 9), Le: apdu.NoLe})
	if err != nil || resp.SW != apdu.OK {
		t.Fatalf("PSO: %v %v", resp.SW, err)
	}
	ptVerifyRS(t, resp.Data)
	if after, _, _ := c.Snapshot(); after-before != 2 {
		t.Errorf("card saw %d APDUs for a signature, want 2", after-before)
	}
}
