package eid_test

import (
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

// TestFullReadAPDUCount pins the reading strategy: one SELECT per file,
// full 256-byte chunks, one extra APDU to find the end of a file whose
// size the card does not say (6Cxx or 6B00), DER objects read only up to
// their end, and RSA signature files read at the RRN key's size. Any
// re-read shows up here.
func TestFullReadAPDUCount(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			vc, content := loadFixture(t, name)
			card, counter := openCounted(t, vc, vc.ATR())
			want := 1 // GET CARD DATA
			for _, id := range card.FullRead() {
				want += 1 + expectedReads(id, content.Files[hexPath(id)], content.Applet)
			}
			if _, err := card.Read(card.FullRead()...); err != nil {
				t.Fatalf("Read: %v", err)
			}
			if got, _, _ := counter.Snapshot(); got != want {
				t.Errorf("full read took %d APDUs, want %d", got, want)
			}
		})
	}
}

// expectedReads counts READ BINARY commands (6Cxx re-sends included) for a
// file of these stored bytes with 256-byte chunks. The fixtures' RRN key
// is RSA-2048 on 1.7 and P-384 on 1.8.
func expectedReads(id eid.FileID, stored []byte, applet byte) int {
	size := len(stored)
	switch p := hexPath(id); {
	case p == "3F00DF014040" && size == 120: // a P-384 key, asked exactly
		return 1
	case (p == "3F00DF014032" || p == "3F00DF014034") && applet == 0x17:
		return (size + 255) / 256 // the RSA key's size: no end probe
	}
	if isDERFile(id) || isDERSignature(id, applet) {
		if n, ok := derLen(stored); ok && size >= 256 {
			return (n + 255) / 256
		}
		if size >= 256 { // absent object: one chunk of zeros
			return 1
		}
	}
	if size%256 == 0 {
		return size/256 + 1 // the last probe answers 6B00
	}
	return size/256 + 2 // the last chunk answers 6Cxx, then the re-send
}
