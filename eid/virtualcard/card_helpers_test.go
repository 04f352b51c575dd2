package virtualcard

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
)

// Keys are generated once per test binary: RSA-2048 generation is slow.
var (
	ptKeysOnce           sync.Once
	ptRSAAuth, ptRSASign *rsa.PrivateKey
	ptECAuth, ptECSign   *ecdsa.PrivateKey
	ptECBasic            *ecdsa.PrivateKey
)

func ptKeys(t testing.TB) {
	t.Helper()
	var err error
	ptKeysOnce.Do(func() {
		if ptRSAAuth, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return
		}
		if ptRSASign, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return
		}
		for _, k := range []**ecdsa.PrivateKey{&ptECAuth, &ptECSign, &ptECBasic} {
			if *k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
				return
			}
		}
	})
	if err != nil {
		t.Fatalf("generate test keys: %v", err)
	}
	if ptRSAAuth == nil || ptECBasic == nil {
		t.Fatal("test keys missing after an earlier failed generation")
	}
}

// ptTLV encodes one simplified-TLV field (length < 255).
func ptTLV(tag byte, v string) []byte {
	return append([]byte{tag, byte(len(v))}, v...)
}

func ptJoin(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// ptPattern is n bytes that differ from offset to offset, so a read at
// the wrong offset shows.
func ptPattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) + seed
	}
	return b
}

var ptSerial = [16]byte{0x53, 0x4C, 0x49, 0x4E, 0x33, 0x66, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}

// ptContent builds a small card of the given applet: PIN 1234, three
// tries, a few files of known bytes.
func ptContent(t testing.TB, applet byte) *Content {
	ptKeys(t)
	c := &Content{
		Applet: applet, ChipSerial: ptSerial, LifeCycle: 0x0F,
		PIN: []byte("1234"), PINTries: 3,
		Files: map[string][]byte{
			"3F002F00":     ptPattern(37, 1),
			"3F00DF005031": ptPattern(36, 2),
			"3F00DF005038": append(ptPattern(300, 3), make([]byte, 50)...),
			"3F00DF014031": ptJoin(ptTLV(0x01, "591234567890"), ptTLV(0x02, string(ptSerial[:])),
				ptTLV(0x07, "Specimen"), ptTLV(0x0C, "01 JAN 1990"), make([]byte, 10)),
			"3F00DF014033": ptJoin(ptTLV(0x01, "Rue de la Loi 16"), ptTLV(0x02, "1000"),
				ptTLV(0x03, "Bruxelles"), make([]byte, 20)),
			"3F00DF014035": ptPattern(512, 4),
		},
	}
	if applet == Applet18 {
		c.AuthKey, c.SignKey, c.BasicKey = ptECAuth, ptECSign, ptECBasic
		c.Files["3F00DF014040"] = ptPattern(120, 5)
	} else {
		c.AuthKey, c.SignKey = ptRSAAuth, ptRSASign
	}
	return c
}

func ptCard(t testing.TB, applet byte, opts ...Option) *Card {
	return New(ptContent(t, applet), opts...)
}

// ptHex decodes hex written with spaces.
func ptHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// ptSend transmits raw bytes and splits the answer.
func ptSend(t testing.TB, k *Card, cmd []byte) (data []byte, sw uint16) {
	t.Helper()
	resp, err := k.TransmitRaw(cmd)
	if err != nil {
		t.Fatalf("transmit % X: %v", cmd, err)
	}
	if len(resp) < 2 {
		t.Fatalf("response to % X has no status word: % X", cmd, resp)
	}
	n := len(resp) - 2
	return resp[:n], uint16(resp[n])<<8 | uint16(resp[n+1])
}

// ptSW sends a hex command and returns its status word only.
func ptSW(t testing.TB, k *Card, cmd string) uint16 {
	t.Helper()
	_, sw := ptSend(t, k, ptHex(t, cmd))
	return sw
}

// ptStep is one command of a scripted sequence and the status it must get.
type ptStep struct {
	cmd string
	sw  uint16
}

func ptRun(t *testing.T, k *Card, steps []ptStep) {
	t.Helper()
	for i, s := range steps {
		if got := ptSW(t, k, s.cmd); got != s.sw {
			t.Fatalf("step %d (%s): status %04X, want %04X", i, s.cmd, got, s.sw)
		}
	}
}

// Commands used throughout the tests.
const (
	ptVerify1234  = "00 20 00 01 08 24 12 34 FF FF FF FF FF"
	ptVerifyWrong = "00 20 00 01 08 24 99 99 FF FF FF FF FF"
	ptVerifyQuery = "00 20 00 01"
	ptMSEAuth     = "00 22 41 B6 05 04 80 02 84 82"
	ptMSENonRep   = "00 22 41 B6 05 04 80 02 84 83"
	ptCardData    = "80 E4 00 00 1C"
	ptLogOff      = "80 E6 00 00"
)

// ptPSO is a PSO for algorithm 02 on the applet: a SHA-1 hash on 1.7, a
// SHA-384 hash on 1.8.
func ptPSO(applet byte) string {
	n := 20
	if applet == Applet18 {
		n = 48
	}
	return "00 2A 9E 9A " + hex.EncodeToString(append([]byte{byte(n)}, ptPattern(n, 9)...))
}

// ptSigOK is the 61xx a signature answers with.
func ptSigOK(applet byte) uint16 {
	if applet == Applet18 {
		return 0x6160
	}
	return 0x6100
}

var ptApplets = []byte{Applet17, Applet18}
