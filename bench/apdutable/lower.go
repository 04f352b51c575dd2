package main

import (
	"bytes"
	"fmt"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// Tally is a number of APDUs and the bytes they moved.
type Tally struct {
	Files, APDUs, Bytes int
}

// Sizes of the APDUs a full read needs.
const (
	chunk       = 256 // most data one short READ BINARY returns (Le = 00)
	headerLe    = 5   // CLA INS P1 P2 Le
	swLen       = 2   // SW1 SW2
	selectBytes = 5 + 6 + swLen
)

// lowerBoundOf loads the profile in dir and computes its lower bound.
func lowerBoundOf(dir string) (Tally, error) {
	c, err := virtualcard.Load(dir)
	if err != nil {
		return Tally{}, err
	}
	return lowerBound(c)
}

// lowerBound is the cheapest full read of c by a reader that knew every
// file's size in advance: GET CARD DATA once, then per file one SELECT
// (by absolute path, no answer data) and ceil(needed/256) READ BINARY.
// The files are those eid.Card.FullRead lists for the card's applet.
func lowerBound(c *virtualcard.Content) (Tally, error) {
	vc := virtualcard.New(c)
	card, err := eid.Open(eid.OverRaw(vc), eid.RecognizeATR(vc.ATR()))
	if err != nil {
		return Tally{}, fmt.Errorf("opening the card: %w", err)
	}
	t := Tally{APDUs: 1, Bytes: headerLe + cardDataLen(c.Applet) + swLen}
	for _, id := range card.FullRead() {
		stored, ok := c.Files[fmt.Sprintf("%X", id.Path)]
		if !ok {
			return Tally{}, fmt.Errorf("the card has no %s", id.Name)
		}
		n := needed(id, stored, c.Applet)
		t.Files++
		t.APDUs += 1 + (n+chunk-1)/chunk
		t.Bytes += selectBytes + n + (n+chunk-1)/chunk*(headerLe+swLen)
	}
	return t, nil
}

// cardDataLen is the GET CARD DATA answer the eid package asks for:
// applet 1.8 answers the longer form that adds the PIN tries.
func cardDataLen(applet byte) int {
	if applet == virtualcard.Applet18 {
		return 31
	}
	return 28
}

// needed is what must be read of a stored file to have it all: the whole
// file for data files (the address signature covers the identity
// signature's padding), the DER object for certificates, the basic key
// and, on 1.8 (an EC RRN key), the address signature, and one byte of an
// absent (all-zero) object to learn that it is absent.
func needed(id eid.FileID, stored []byte, applet byte) int {
	isDER := bytes.HasPrefix(id.Path, []byte{0x3F, 0x00, 0xDF, 0x00, 0x50}) ||
		bytes.Equal(id.Path, eid.FileBasicKey.Path) ||
		(applet == virtualcard.Applet18 && bytes.Equal(id.Path, eid.FileAddressSig.Path))
	if !isDER {
		return len(stored)
	}
	if n, ok := derLen(stored); ok {
		return n
	}
	return 1
}

// derLen reads the length of the DER SEQUENCE at the start of b.
func derLen(b []byte) (int, bool) {
	if len(b) < 2 || b[0] != 0x30 {
		return 0, false
	}
	switch {
	case b[1] < 0x80:
		return 2 + int(b[1]), true
	case b[1] == 0x81 && len(b) >= 3:
		return 3 + int(b[2]), true
	case b[1] == 0x82 && len(b) >= 4:
		return 4 + int(b[2])<<8 + int(b[3]), true
	}
	return 0, false
}
