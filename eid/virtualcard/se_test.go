package virtualcard

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"testing"
)

func TestManageSE(t *testing.T) {
	mse := func(alg, key byte) string { return fmt.Sprintf("00 22 41 B6 05 04 80 %02X 84 %02X", alg, key) }
	type tc struct {
		name string
		cmd  string
		sw   uint16
	}
	var tests []tc
	for _, alg := range []byte{0x01, 0x02, 0x04, 0x08, 0x10, 0x20} {
		tests = append(tests, tc{fmt.Sprintf("alg %02X", alg), mse(alg, 0x82), 0x9000})
	}
	tests = append(tests,
		tc{"alg 40 on 1.7", mse(0x40, 0x82), 0x6A80},
		tc{"alg 03", mse(0x03, 0x83), 0x6A80},
		tc{"alg 00", mse(0x00, 0x83), 0x6A80},
		tc{"non-rep key", mse(0x01, 0x83), 0x9000},
		tc{"basic key", mse(0x01, 0x81), 0x6A88},
		tc{"key 84", mse(0x01, 0x84), 0x6A88},
		tc{"no length prefix", "00 22 41 B6 04 80 01 84 82", 0x6700},
		tc{"wrong prefix", "00 22 41 B6 05 05 80 01 84 82", 0x6A80},
		tc{"wrong algorithm tag", "00 22 41 B6 05 04 81 01 84 82", 0x6A80},
		tc{"wrong key tag", "00 22 41 B6 05 04 80 01 83 82", 0x6A80},
		tc{"extra byte", "00 22 41 B6 06 04 80 01 84 82 00", 0x6700},
		tc{"no data", "00 22 41 B6", 0x6700},
		tc{"wrong P1", "00 22 81 B6 05 04 80 01 84 82", 0x6B00},
		tc{"wrong P2", "00 22 41 B8 05 04 80 01 84 82", 0x6B00},
	)
	for _, tt := range tests {
		if got := ptSW(t, ptCard(t, Applet17), tt.cmd); got != tt.sw {
			t.Errorf("1.7 %s: %04X, want %04X", tt.name, got, tt.sw)
		}
	}
	k := ptCard(t, Applet18)
	for _, alg := range []byte{0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40} {
		if got := ptSW(t, k, mse(alg, 0x83)); got != 0x9000 {
			t.Errorf("1.8 alg %02X: %04X", alg, got)
		}
	}
	if got := ptSW(t, k, mse(0x80, 0x83)); got != 0x6A80 {
		t.Errorf("1.8 alg 80: %04X, want 6A80", got)
	}
}

func TestManageSEKeyAbsent(t *testing.T) {
	c := ptContent(t, Applet18)
	c.AuthKey = nil // a kids card without authentication key
	k := New(c)
	ptRun(t, k, []ptStep{{ptMSEAuth, 0x6A88}, {ptMSENonRep, 0x9000}})
}

// A failed MSE leaves no SE behind.
func TestManageSEFailureClearsSE(t *testing.T) {
	k := ptCard(t, Applet17)
	ptRun(t, k, []ptStep{
		{ptVerify1234, 0x9000},
		{ptMSEAuth, 0x9000},
		{"00 22 41 B6 05 04 80 40 84 82", 0x6A80},
		{ptPSO(Applet17), 0x6985},
	})
}

// commons-eid sends MSE with key 81 before INTERNAL AUTHENTICATE on 1.8;
// the algorithm must be the IA one for the basic key's size.
func TestManageSEBasicKey(t *testing.T) {
	mse := func(alg byte) string { return fmt.Sprintf("00 22 41 B6 05 04 80 %02X 84 81", alg) }
	curves := []struct {
		curve elliptic.Curve
		alg   byte
	}{{elliptic.P256(), 0x01}, {elliptic.P384(), 0x02}, {elliptic.P521(), 0x04}}
	for _, cv := range curves {
		c := ptContent(t, Applet18)
		basic, err := ecdsa.GenerateKey(cv.curve, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		c.BasicKey = basic
		k := New(c)
		for _, alg := range []byte{0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x03} {
			want := uint16(0x6A80)
			if alg == cv.alg {
				want = 0x9000
			}
			if got := ptSW(t, k, mse(alg)); got != want {
				t.Errorf("%s basic key, alg %02X: %04X, want %04X", cv.curve.Params().Name, alg, got, want)
			}
		}
	}
	c := ptContent(t, Applet18)
	c.BasicKey = nil
	if got := ptSW(t, New(c), mse(0x02)); got != 0x6A88 {
		t.Errorf("1.8 without basic key: %04X, want 6A88", got)
	}
	if got := ptSW(t, ptCard(t, Applet17), mse(0x02)); got != 0x6A88 {
		t.Errorf("1.7: %04X, want 6A88", got)
	}
}

// An SE on key 81 never lets a PSO through, whatever came before it,
// and a failed MSE 81 leaves no SE either.
func TestManageSEBasicKeyRefusesPSO(t *testing.T) {
	pso := ptPSO(Applet18)
	const mse81 = "00 22 41 B6 05 04 80 02 84 81"
	tests := map[string][]ptStep{
		"after VERIFY": {{ptVerify1234, 0x9000}, {mse81, 0x9000}, {pso, 0x6985}},
		"replaces an auth SE": {{ptVerify1234, 0x9000}, {ptMSEAuth, 0x9000}, {pso, 0x6160},
			{mse81, 0x9000}, {pso, 0x6985}},
		"replaces a non-rep SE": {{ptMSENonRep, 0x9000}, {mse81, 0x9000}, {ptVerify1234, 0x9000}, {pso, 0x6985}},
		"failed MSE 81 clears the SE": {{ptVerify1234, 0x9000}, {ptMSEAuth, 0x9000},
			{"00 22 41 B6 05 04 80 01 84 81", 0x6A80}, {pso, 0x6985}},
		"a new MSE 82 signs again": {{mse81, 0x9000}, {ptVerify1234, 0x9000}, {pso, 0x6985},
			{ptMSEAuth, 0x9000}, {pso, 0x6160}},
	}
	for name, steps := range tests {
		t.Run(name, func(t *testing.T) { ptRun(t, ptCard(t, Applet18), steps) })
	}
}
