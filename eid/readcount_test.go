package eid_test

import (
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

// TestFullReadAPDUCount pins the reading strategy: one SELECT per file,
// full 256-byte chunks, one extra APDU to find the end of a file whose
// size the card does not say (6Cxx or 6B00), and certificates read only up
// to the end of their DER object. Any re-read shows up here.
func TestFullReadAPDUCount(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			vc, content := loadFixture(t, name)
			card, counter := openCounted(t, vc, vc.ATR())
			want := 1 // GET CARD DATA
			for _, id := range card.FullRead() {
				want += 1 + expectedReads(id, content.Files[hexPath(id)])
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
// file of these stored bytes with 256-byte chunks.
func expectedReads(id eid.FileID, stored []byte) int {
	size := len(stored)
	if isDERFile(id) {
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
