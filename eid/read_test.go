package eid_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

var fixtures = []string{"citizen-1.7", "citizen-1.8", "foreigner-1.8", "kids-1.7", "utf8-1.8", "yearonly-1.7"}

var fixtureCache sync.Map

// loadFixture loads a shipped virtual-card profile once per test binary
// and gives each caller its own copy of the card.
func loadFixture(t testing.TB, name string) (*virtualcard.Card, *virtualcard.Content) {
	t.Helper()
	v, ok := fixtureCache.Load(name)
	if !ok {
		c, err := virtualcard.Load(filepath.Join("virtualcard", "testdata", name))
		if err != nil {
			t.Fatalf("loading fixture %s: %v", name, err)
		}
		v, _ = fixtureCache.LoadOrStore(name, c)
	}
	content := *v.(*virtualcard.Content)
	return virtualcard.New(&content), &content
}

// openCounted opens the card over an APDU counter.
func openCounted(t testing.TB, raw apdu.RawTransmitter, atr []byte) (*eid.Card, *apdu.Counter) {
	t.Helper()
	counter := &apdu.Counter{}
	card, err := eid.Open(eid.OverRaw(apdu.Traced(raw, counter.Trace)), eid.RecognizeATR(atr))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return card, counter
}

func TestOpenReadsCardData(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			vc, content := loadFixture(t, name)
			card, counter := openCounted(t, vc, vc.ATR())
			if card.Data.AppletVersion != content.Applet {
				t.Errorf("applet version %02X, card holds %02X", card.Data.AppletVersion, content.Applet)
			}
			if card.Data.Serial != content.ChipSerial {
				t.Errorf("serial %X, card holds %X", card.Data.Serial, content.ChipSerial)
			}
			wantTries := -1
			if content.Applet == virtualcard.Applet18 {
				wantTries = content.PINTries
			}
			if card.Data.PINTries != wantTries {
				t.Errorf("PIN tries %d, want %d", card.Data.PINTries, wantTries)
			}
			if n, _, _ := counter.Snapshot(); n != 1 {
				t.Errorf("Open sent %d APDUs, want 1 GET CARD DATA", n)
			}
		})
	}
}

func TestFullReadReturnsCardFiles(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			vc, content := loadFixture(t, name)
			card, _ := openCounted(t, vc, vc.ATR())
			files, err := card.Read(card.FullRead()...)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			for _, id := range card.FullRead() {
				checkFile(t, id, fileOf(files, id), content.Files[hexPath(id)], content.Applet)
			}
		})
	}
}

// checkFile compares what was read with what the card stores: data files
// whole, DER files up to the object's end, absent certificates as zeros.
func checkFile(t *testing.T, id eid.FileID, got, stored []byte, applet byte) {
	t.Helper()
	want := stored
	if !isDERFile(id) && !isDERSignature(id, applet) {
		// data files are read whole, padding included
	} else if n, ok := derLen(stored); ok {
		want = stored[:n]
	} else if isZero(stored) && len(got) > 0 {
		want = stored[:len(got)]
		if !isZero(got) {
			t.Errorf("%s: absent object read as non-zero bytes", id.Name)
		}
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: read %d bytes, card holds %d (want %d)", id.Name, len(got), len(stored), len(want))
	}
}

func TestReadWithOtherChunkSizes(t *testing.T) {
	vc, content := loadFixture(t, "citizen-1.8")
	for _, chunk := range []int{1, 128, 248, 252, 255} {
		t.Run(fmt.Sprint(chunk), func(t *testing.T) {
			card, _ := openCounted(t, vc, vc.ATR())
			card.Chunk = chunk
			for _, id := range []eid.FileID{eid.FileIdentity, eid.FilePhoto, eid.FileRRNCert, eid.FileBasicKey} {
				got, err := card.ReadFile(id)
				if err != nil {
					t.Fatalf("ReadFile %s: %v", id.Name, err)
				}
				checkFile(t, id, got, content.Files[hexPath(id)], content.Applet)
			}
		})
	}
}

func TestReadMissingDataFile(t *testing.T) {
	vc, _ := loadFixture(t, "citizen-1.7")
	card, _ := openCounted(t, vc, vc.ATR())
	_, err := card.ReadFile(eid.FileBasicKey) // 1.8 only
	if !errors.Is(err, eid.ErrFileNotFound) {
		t.Fatalf("reading 4040 on a 1.7 card: %v, want ErrFileNotFound", err)
	}
	if _, err := card.Read(eid.FileBasicKey); !errors.Is(err, eid.ErrFileNotFound) {
		t.Fatalf("Read of 4040 on a 1.7 card: %v, want ErrFileNotFound", err)
	}
}

func hexPath(id eid.FileID) string { return fmt.Sprintf("%X", id.Path) }

// isDERFile: certificates and the basic key hold one DER object + padding.
func isDERFile(id eid.FileID) bool {
	p := hexPath(id)
	return p == "3F00DF014040" || p[:10] == "3F00DF0050"
}

// isDERSignature: with an EC RRN key (the 1.8 fixtures) the address
// signature is needed only up to the end of its DER encoding.
func isDERSignature(id eid.FileID, applet byte) bool {
	return applet == 0x18 && hexPath(id) == "3F00DF014034"
}

func fileOf(f *eid.Files, id eid.FileID) []byte {
	switch hexPath(id) {
	case "3F00DF014031":
		return f.Identity
	case "3F00DF014032":
		return f.IdentitySig
	case "3F00DF014033":
		return f.Address
	case "3F00DF014034":
		return f.AddressSig
	case "3F00DF014035":
		return f.Photo
	case "3F00DF014040":
		return f.BasicKey
	case "3F00DF005038":
		return f.AuthCert
	case "3F00DF005039":
		return f.SignCert
	case "3F00DF00503A":
		return f.CACert
	case "3F00DF00503B":
		return f.RootCert
	case "3F00DF00503C":
		return f.RRNCert
	}
	panic("unknown file " + id.Name)
}

// derLen is an independent reading of a DER SEQUENCE header.
func derLen(b []byte) (int, bool) {
	if len(b) < 4 || b[0] != 0x30 {
		return 0, false
	}
	switch b[1] {
	case 0x81:
		return 3 + int(b[2]), true
	case 0x82:
		return 4 + int(b[2])<<8 + int(b[3]), true
	}
	if b[1] < 0x80 {
		return 2 + int(b[1]), true
	}
	return 0, false
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
