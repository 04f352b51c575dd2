package virtualcard

import (
	"crypto/ecdsa"
	"encoding/hex"
	"math/big"
	"testing"
)

func TestInternalAuthenticate(t *testing.T) {
	chl := ptPattern(48, 11)
	forms := map[string]string{
		"short length": "00 88 02 81 32 94 30 " + hex.EncodeToString(chl),
		"81 length":    "00 88 02 81 33 94 81 30 " + hex.EncodeToString(chl),
	}
	// No MSE (eid-mw), MSE 81 (commons-eid), or a signing SE left over.
	preludes := map[string][]ptStep{
		"no MSE": nil,
		"MSE 81": {{"00 22 41 B6 05 04 80 02 84 81", 0x9000}},
		"MSE 82": {{ptMSEAuth, 0x9000}},
	}
	for pname, prelude := range preludes {
		for fname, cmd := range forms {
			name := pname + ", " + fname
			k := ptCard(t, Applet18)
			ptRun(t, k, append(prelude, ptStep{cmd, 0x6160}))
			ptCheckIA(t, k, name, chl)
		}
	}
}

// ptCheckIA fetches an INTERNAL AUTHENTICATE answer, checks it with the
// basic key, and checks that the SE is gone.
func ptCheckIA(t *testing.T, k *Card, name string, chl []byte) {
	t.Helper()
	sig, sw := ptSend(t, k, ptHex(t, "00 C0 00 00 60"))
	if sw != 0x9000 || len(sig) != 96 {
		t.Fatalf("%s: GET RESPONSE %04X, %d bytes", name, sw, len(sig))
	}
	r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
	if !ecdsa.Verify(&ptECBasic.PublicKey, chl, r, s) {
		t.Errorf("%s: r‖s does not verify with the basic key", name)
	}
	// INTERNAL AUTHENTICATE cleared the SE: a PSO needs a new MSE.
	ptRun(t, k, []ptStep{{ptVerify1234, 0x9000}, {ptPSO(Applet18), 0x6985}})
}

func TestInternalAuthenticateErrors(t *testing.T) {
	h48, h32 := hex.EncodeToString(ptPattern(48, 1)), hex.EncodeToString(ptPattern(32, 1))
	tests := []struct {
		name, cmd string
		sw        uint16
	}{
		{"SHA-256 on a P-384 key", "00 88 01 81 22 94 20 " + h32, 0x6A80},
		{"unknown algorithm", "00 88 03 81 32 94 30 " + h48, 0x6B00},
		{"algorithm 40", "00 88 40 81 32 94 30 " + h48, 0x6B00},
		{"key 82", "00 88 02 82 32 94 30 " + h48, 0x6A88},
		{"wrong tag", "00 88 02 81 32 95 30 " + h48, 0x6A80},
		{"TLV longer than data", "00 88 02 81 32 94 31 " + h48, 0x6700},
		{"challenge of 32 for SHA-384", "00 88 02 81 22 94 20 " + h32, 0x6A80},
		{"empty challenge", "00 88 02 81 02 94 00", 0x6A80},
		{"TLV shorter than data", "00 88 02 81 32 94 2F " + h48, 0x6700},
		{"bad length form", "00 88 02 81 33 94 83 30 " + h48, 0x6A80},
		{"no data", "00 88 02 81", 0x6700},
	}
	for _, tt := range tests {
		if got := ptSW(t, ptCard(t, Applet18), tt.cmd); got != tt.sw {
			t.Errorf("%s: %04X, want %04X", tt.name, got, tt.sw)
		}
	}
	if got := ptSW(t, ptCard(t, Applet17), "00 88 02 81 32 94 30 "+h48); got != 0x6D00 {
		t.Errorf("on 1.7: %04X, want 6D00", got)
	}
	c := ptContent(t, Applet18)
	c.BasicKey = nil
	if got := ptSW(t, New(c), "00 88 02 81 32 94 30 "+h48); got != 0x6A88 {
		t.Errorf("without basic key: %04X, want 6A88", got)
	}
}
