package main

import (
	"crypto"
	_ "crypto/sha256" // SHA-256 for applet 1.7
	_ "crypto/sha512" // SHA-384 for applet 1.8
	"fmt"
	"strings"

	"github.com/eidbridge/eidbridge/bench/internal/vtrace"
)

// profile is what differs between the applets in the table.
type profile struct {
	applet  string
	hash    crypto.Hash
	dtbs    int // bytes PSO sends: a DigestInfo on 1.7, the bare hash on 1.8
	sigSize int // bytes GET RESPONSE returns
}

func profileOf(applet string) (profile, error) {
	switch applet {
	case "1.7": // RSA-2048, PKCS#1 v1.5 with a SHA-256 DigestInfo (19 + 32)
		return profile{applet, crypto.SHA256, 51, 256}, nil
	case "1.8": // ECDSA P-384 on a SHA-384 hash, r‖s
		return profile{applet, crypto.SHA384, 48, 96}, nil
	}
	return profile{}, fmt.Errorf("applet %q: want 1.7 or 1.8", applet)
}

// minimum is the cheapest signature that needs the PIN, as APDU pairs of
// the right sizes: MSE:SET, VERIFY, PSO (answered 61xx), GET RESPONSE.
func (p profile) minimum() []vtrace.Pair {
	sw := []byte{0x90, 0x00}
	return []vtrace.Pair{
		{Cmd: append([]byte{0x00, 0x22, 0x41, 0xB6, 0x05}, make([]byte, 5)...), Resp: sw},
		{Cmd: append([]byte{0x00, 0x20, 0x00, 0x01, 0x08}, make([]byte, 8)...), Resp: sw},
		{Cmd: append([]byte{0x00, 0x2A, 0x9E, 0x9A, byte(p.dtbs)}, make([]byte, p.dtbs)...), Resp: []byte{0x61, byte(p.sigSize)}},
		{Cmd: []byte{0x00, 0xC0, 0x00, 0x00, byte(p.sigSize)}, Resp: append(make([]byte, p.sigSize), sw...)},
	}
}

// row is one table row for the APDUs of an operation.
func (p profile) row(label string, pairs []vtrace.Pair) string {
	bytes := 0
	for _, x := range pairs {
		bytes += x.Bytes()
	}
	over := fmt.Sprintf("%+d", len(pairs)-len(p.minimum()))
	if strings.HasPrefix(label, "eid.Open") {
		over = "n/a" // not a signature
	}
	return fmt.Sprintf("| %s | %s | %d | %d | %s | %s |", p.applet, label, len(pairs), bytes, over, sequence(pairs))
}
