package virtualcard

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/hex"
	"fmt"
	"math/big"
	"testing"
)

// ptSign runs MSE (auth key), VERIFY and PSO with data, and fetches the
// signature with GET RESPONSE.
func ptSign(t *testing.T, k *Card, alg byte, data []byte) []byte {
	t.Helper()
	ptRun(t, k, []ptStep{
		{fmt.Sprintf("00 22 41 B6 05 04 80 %02X 84 82", alg), 0x9000},
		{ptVerify1234, 0x9000},
	})
	_, sw := ptSend(t, k, ptPSOBytes(data))
	if sw>>8 != 0x61 {
		t.Fatalf("PSO alg %02X: %04X, want 61xx", alg, sw)
	}
	sig, sw2 := ptSend(t, k, []byte{0x00, 0xC0, 0x00, 0x00, byte(sw)})
	if sw2 != 0x9000 {
		t.Fatalf("GET RESPONSE: %04X", sw2)
	}
	return sig
}

func ptPSOBytes(data []byte) []byte {
	return append([]byte{0x00, 0x2A, 0x9E, 0x9A, byte(len(data))}, data...)
}

func TestSignRSA(t *testing.T) {
	sha256Info := ptHex(t, "30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20")
	h32, h20, h16 := ptPattern(32, 1), ptPattern(20, 2), ptPattern(16, 3)
	tests := []struct {
		alg    byte
		data   []byte
		verify func(pub *rsa.PublicKey, sig []byte) error
	}{
		{0x01, append(sha256Info, h32...), func(p *rsa.PublicKey, s []byte) error {
			return rsa.VerifyPKCS1v15(p, crypto.SHA256, h32, s)
		}},
		{0x02, h20, func(p *rsa.PublicKey, s []byte) error { return rsa.VerifyPKCS1v15(p, crypto.SHA1, h20, s) }},
		{0x04, h16, func(p *rsa.PublicKey, s []byte) error { return rsa.VerifyPKCS1v15(p, crypto.MD5, h16, s) }},
		{0x08, h32, func(p *rsa.PublicKey, s []byte) error { return rsa.VerifyPKCS1v15(p, crypto.SHA256, h32, s) }},
		{0x10, h20, func(p *rsa.PublicKey, s []byte) error {
			return rsa.VerifyPSS(p, crypto.SHA1, h20, s, &rsa.PSSOptions{SaltLength: 20})
		}},
		{0x20, h32, func(p *rsa.PublicKey, s []byte) error {
			return rsa.VerifyPSS(p, crypto.SHA256, h32, s, &rsa.PSSOptions{SaltLength: 32})
		}},
	}
	for _, tt := range tests {
		k := ptCard(t, Applet17)
		sig := ptSign(t, k, tt.alg, tt.data)
		if len(sig) != 256 {
			t.Errorf("alg %02X: %d-byte signature", tt.alg, len(sig))
		}
		if err := tt.verify(&ptRSAAuth.PublicKey, sig); err != nil {
			t.Errorf("alg %02X: signature does not verify with the auth key: %v", tt.alg, err)
		}
	}
}

func TestSignECDSA(t *testing.T) {
	tests := []struct {
		alg byte
		n   int
	}{
		{0x01, 32}, {0x02, 48}, {0x04, 64}, {0x08, 32}, {0x10, 48}, {0x20, 64},
		{0x40, 20}, {0x40, 28}, {0x40, 32}, {0x40, 48}, {0x40, 64},
	}
	for _, tt := range tests {
		k := ptCard(t, Applet18)
		digest := ptPattern(tt.n, 7)
		sig := ptSign(t, k, tt.alg, digest)
		if len(sig) != 96 {
			t.Fatalf("alg %02X: %d-byte signature, want 96", tt.alg, len(sig))
		}
		r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
		if !ecdsa.Verify(&ptECAuth.PublicKey, digest, r, s) {
			t.Errorf("alg %02X with %d bytes: r‖s does not verify with the auth key", tt.alg, tt.n)
		}
	}
}

func TestSignLengthChecks(t *testing.T) {
	tests := []struct {
		applet, alg byte
		n           int
	}{
		{Applet17, 0x01, 246}, {Applet17, 0x02, 21}, {Applet17, 0x04, 20}, {Applet17, 0x08, 20},
		{Applet17, 0x10, 32}, {Applet17, 0x20, 20},
		{Applet18, 0x01, 48}, {Applet18, 0x02, 32}, {Applet18, 0x04, 48}, {Applet18, 0x40, 33},
	}
	for _, tt := range tests {
		k := ptCard(t, tt.applet)
		ptRun(t, k, []ptStep{
			{fmt.Sprintf("00 22 41 B6 05 04 80 %02X 84 82", tt.alg), 0x9000},
			{ptVerify1234, 0x9000},
		})
		if _, sw := ptSend(t, k, ptPSOBytes(ptPattern(tt.n, 0))); sw != 0x6700 {
			t.Errorf("applet %02X alg %02X with %d bytes: %04X, want 6700", tt.applet, tt.alg, tt.n, sw)
		}
	}
	k := ptCard(t, Applet17)
	ptRun(t, k, []ptStep{{"00 22 41 B6 05 04 80 01 84 82", 0x9000}, {ptVerify1234, 0x9000}})
	if sw := ptSW(t, k, "00 2A 9E 9A"); sw != 0x6700 {
		t.Errorf("PSO without data: %04X, want 6700", sw)
	}
	if _, sw := ptSend(t, k, ptPSOBytes(ptPattern(245, 0))); sw != 0x6100 {
		t.Errorf("PSO alg 01 with 245 bytes: %04X, want 6100", sw)
	}
}

// PIN rules of beid-card.md §3.7, for both applets.
func TestSignPINRules(t *testing.T) {
	type rule struct {
		name  string
		steps func(pso string, ok uint16) []ptStep
		only  byte // 0: both applets
	}
	rules := []rule{
		{"no SE", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptVerify1234, 0x9000}, {pso, 0x6985}}
		}, 0},
		{"auth needs a PIN", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSEAuth, 0x9000}, {pso, 0x6982}, {ptVerify1234, 0x9000}, {pso, ok}}
		}, 0},
		{"auth PIN once", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptVerify1234, 0x9000}, {ptMSEAuth, 0x9000}, {pso, ok}, {ptCardData, 0x9000},
				{pso, ok}, {ptLogOff, 0x9000}, {pso, 0x6982}}
		}, 0},
		{"non-rep just before", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {pso, ok}, {pso, 0x6982}}
		}, 0},
		{"non-rep every signature", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {pso, ok},
				{ptVerify1234, 0x9000}, {pso, ok}}
		}, 0},
		{"auth VERIFY does not open non-rep", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptVerify1234, 0x9000}, {ptMSENonRep, 0x9000}, {pso, 0x6982}}
		}, 0},
		{"non-rep VERIFY does not open auth", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {pso, ok},
				{ptMSEAuth, 0x9000}, {pso, 0x6982}}
		}, 0},
		{"auth right survives non-rep", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptVerify1234, 0x9000}, {ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000},
				{pso, ok}, {ptMSEAuth, 0x9000}, {pso, ok}}
		}, 0},
		{"one command between on 1.7", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {ptCardData, 0x9000}, {pso, 0x6982}}
		}, Applet17},
		{"one command between on 1.8", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {ptCardData, 0x9000}, {pso, ok}}
		}, Applet18},
		{"two commands between on 1.8", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {ptCardData, 0x9000},
				{ptCardData, 0x9000}, {pso, 0x6982}}
		}, Applet18},
		{"LOG OFF between", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {ptLogOff, 0x9000}, {pso, 0x6982}}
		}, 0},
		{"failed PSO uses the right", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {"00 2A 9E 9A 01 00", 0x6700}, {pso, 0x6982}}
		}, 0},
		{"wrong PIN clears the auth right", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptVerify1234, 0x9000}, {ptMSEAuth, 0x9000}, {ptVerifyWrong, 0x63C2}, {pso, 0x6982}}
		}, 0},
		{"query sees the one-shot right", func(pso string, ok uint16) []ptStep {
			return []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {ptVerifyQuery, 0x9000}}
		}, 0},
	}
	for _, applet := range ptApplets {
		for _, r := range rules {
			if r.only != 0 && r.only != applet {
				continue
			}
			t.Run(fmt.Sprintf("%02X/%s", applet, r.name), func(t *testing.T) {
				ptRun(t, ptCard(t, applet), r.steps(ptPSO(applet), ptSigOK(applet)))
			})
		}
	}
}

// The non-rep signature is made with key 83, not with the auth key.
func TestSignNonRepUsesKey83(t *testing.T) {
	k := ptCard(t, Applet18)
	ptRun(t, k, []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000}, {ptPSO(Applet18), 0x6160}})
	sig, sw := ptSend(t, k, ptHex(t, "00 C0 00 00 60"))
	if sw != 0x9000 {
		t.Fatalf("GET RESPONSE: %04X", sw)
	}
	digest, _ := hex.DecodeString(ptPSO(Applet18)[len("00 2A 9E 9A 30"):])
	r, s := new(big.Int).SetBytes(sig[:48]), new(big.Int).SetBytes(sig[48:])
	if !ecdsa.Verify(&ptECSign.PublicKey, digest, r, s) {
		t.Error("non-rep signature does not verify with the signature key")
	}
}

// A wrong P1-P2 is 6B00 (manual status tables) and costs no right.
func TestSignWrongP1P2(t *testing.T) {
	for _, applet := range ptApplets {
		pso := ptPSO(applet)
		for _, hdr := range []string{"00 2A 9E 9B", "00 2A 9A 9E", "00 2A 00 9A"} {
			k := ptCard(t, applet)
			ptRun(t, k, []ptStep{{ptMSENonRep, 0x9000}, {ptVerify1234, 0x9000},
				{hdr + pso[len("00 2A 9E 9A"):], 0x6B00}})
			if !k.s.nonrep {
				t.Errorf("applet %02X %s: the one-shot right was used", applet, hdr)
			}
		}
	}
}
