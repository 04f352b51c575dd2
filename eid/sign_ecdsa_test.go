package eid_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

func TestECDSAConversionRoundTrip(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	digest := make([]byte, 48)
	for i := range 50 {
		digest[0] = byte(i)
		der, err := ecdsa.SignASN1(rand.Reader, key, digest)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := eid.ECDSADERToRaw(der, 48)
		if err != nil || len(raw) != 96 {
			t.Fatalf("ECDSADERToRaw: %d bytes, %v", len(raw), err)
		}
		back, err := eid.ECDSARawToDER(raw)
		if err != nil || !bytes.Equal(back, der) {
			t.Fatalf("ECDSARawToDER did not give back the DER signature: %v", err)
		}
		if !ecdsa.VerifyASN1(&key.PublicKey, digest, back) {
			t.Fatal("converted signature does not verify")
		}
	}
}

// Leading zero bytes of r and s are kept in r‖s and dropped in DER.
func TestECDSAConversionShortValues(t *testing.T) {
	raw := make([]byte, 96)
	raw[47], raw[95] = 0x05, 0x80
	der, err := eid.ECDSARawToDER(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0x30, 0x07, 0x02, 0x01, 0x05, 0x02, 0x02, 0x00, 0x80}
	if !bytes.Equal(der, want) {
		t.Errorf("DER % X, want % X", der, want)
	}
	back, err := eid.ECDSADERToRaw(der, 48)
	if err != nil || !bytes.Equal(back, raw) {
		t.Errorf("back to raw: % X, %v", back, err)
	}
}

func TestECDSAConversionRejects(t *testing.T) {
	for _, raw := range [][]byte{nil, make([]byte, 95), make([]byte, 96)} {
		if _, err := eid.ECDSARawToDER(raw); !errors.Is(err, eid.ErrECDSASignature) {
			t.Errorf("ECDSARawToDER(%d bytes) = %v, want ErrECDSASignature", len(raw), err)
		}
	}
	ok := []byte{0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07}
	bad := map[string][]byte{
		"empty":          nil,
		"trailing bytes": append(append([]byte(nil), ok...), 0x00),
		"negative r":     {0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x07},
		"zero s":         {0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x00},
		"too long r":     {0x30, 0x07, 0x02, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07},
		"not a sequence": {0x04, 0x02, 0x01, 0x02},
	}
	for name, der := range bad {
		if _, err := eid.ECDSADERToRaw(der, 1); !errors.Is(err, eid.ErrECDSASignature) {
			t.Errorf("%s: %v, want ErrECDSASignature", name, err)
		}
	}
	if raw, err := eid.ECDSADERToRaw(ok, 1); err != nil || !bytes.Equal(raw, []byte{5, 7}) {
		t.Errorf("minimal signature: % X, %v", raw, err)
	}
}
