package integration

import (
	"bytes"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// TestCardRemovedMidRead pulls the card out of the reader in the middle
// of a full read through pcscd: the read must fail promptly with
// apdu.ErrCardRemoved, and once the card is back a new connection reads
// it whole.
//
// The virtual card's own RemoveAfter only makes it answer 6F00 through
// vpcd (vpcd has no per-APDU "no card"), which pcscd does not see as a
// removal; so a tracer counts the APDUs the card answers and closes the
// vpcd connection after the n-th, which pcscd sees as a pulled card.
func TestCardRemovedMidRead(t *testing.T) {
	needPCSC(t)
	pc := newContext(t)
	content := loadFixture(t, "citizen-1.8")
	for _, n := range []int{1, 7, 24} {
		t.Run(fmt.Sprintf("after %d APDUs", n), func(t *testing.T) {
			vc := virtualcard.New(content)
			in := insert(t, pc, vc)
			_, card := openEID(t, pc)
			var answered atomic.Int32
			vc.SetTracer(func(_, _ []byte) {
				if answered.Add(1) == int32(n) {
					in.pull()
				}
			})
			err := readWithin(card, waitFor)
			if !errors.Is(err, apdu.ErrCardRemoved) {
				t.Fatalf("read with the card pulled after %d APDUs: got %v, want an error wrapping apdu.ErrCardRemoved", n, err)
			}
			t.Logf("pulled after %d APDUs: %v", n, err)
			in.remove(t, pc)
			vc.SetTracer(nil)

			insert(t, pc, vc)
			_, card = openEID(t, pc)
			files, err := card.Read(card.FullRead()...)
			if err != nil {
				t.Fatalf("read after re-insertion: %v", err)
			}
			if want := content.Files["3F00DF014035"]; !bytes.Equal(files.Photo, want) {
				t.Errorf("photo after re-insertion: %d bytes, want %d", len(files.Photo), len(want))
			}
		})
	}
}

// readWithin runs a full read and fails it when it takes longer than d:
// a pulled card must give an error, never a hang.
func readWithin(card *eid.Card, d time.Duration) error {
	done := make(chan error, 1)
	go func() {
		_, err := card.Read(card.FullRead()...)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return fmt.Errorf("full read still running after %v", d)
	}
}
