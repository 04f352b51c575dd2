package pcsc

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
)

func TestIntegrationReaders(t *testing.T) {
	needPCSC(t)
	readers, err := newTestContext(t).Readers()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(readers, testReader) {
		t.Errorf("readers %q lack %q", readers, testReader)
	}
}

func TestIntegrationTransmitThroughPCSCD(t *testing.T) {
	needPCSC(t)
	var apdus apdu.Counter
	applet, card, _ := plugAndConnect(t, newTestContext(t, WithTracer(apdus.Trace)))
	if card.Protocol() != "T=0" || !bytes.Equal(card.ATR(), beid18ATR) {
		t.Errorf("protocol %s, ATR % X; want T=0 and the 1.8 ATR", card.Protocol(), card.ATR())
	}

	resp, err := card.Transmit(apdu.Command{CLA: 0x80, INS: insChained, Le: apdu.NoLe})
	if err != nil {
		t.Fatal(err)
	}
	if resp.SW != apdu.OK || !bytes.Equal(resp.Data, pattern(chainedLen, 0)) {
		t.Errorf("chained: %d bytes, SW %04X; want %d bytes, 9000", len(resp.Data), uint16(resp.SW), chainedLen)
	}
	resp, err = card.Transmit(apdu.Command{INS: insRead, Le: 0x10})
	if err != nil {
		t.Fatal(err)
	}
	if resp.SW != apdu.OK || !bytes.Equal(resp.Data, pattern(0x20, 0x40)) {
		t.Errorf("6Cxx re-send: % X, SW %04X", resp.Data, uint16(resp.SW))
	}
	want := []string{"80CA0000", "00C00000FF", "00C000002D", "00B0000010", "00B0000020"}
	if got := hexAll(applet.commands()); !slices.Equal(got, want) {
		t.Errorf("card received %v, want %v", got, want)
	}
	if n, _, _ := apdus.Snapshot(); n != len(want) {
		t.Errorf("tracer saw %d APDUs, want %d", n, len(want))
	}
}

func hexAll(cmds [][]byte) []string {
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i] = fmt.Sprintf("%X", c)
	}
	return out
}

// A second application's command waits until our transaction ends.
func TestIntegrationTransactionExcludesOthers(t *testing.T) {
	needPCSC(t)
	applet, card, _ := plugAndConnect(t, newTestContext(t))
	other, err := newTestContext(t).Connect(testReader)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	otherDone := make(chan error, 1)
	err = card.Transaction(func() error {
		if _, err := card.Transmit(apdu.Command{INS: insSelect, P1: 1, Le: apdu.NoLe}); err != nil {
			return err
		}
		go func() {
			_, err := other.Transmit(apdu.Command{INS: insSelect, P1: 9, Le: apdu.NoLe})
			otherDone <- err
		}()
		time.Sleep(300 * time.Millisecond) // room for the other command to sneak in
		_, err := card.Transmit(apdu.Command{INS: insSelect, P1: 2, Le: apdu.NoLe})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-otherDone:
		if err != nil {
			t.Fatalf("other application: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the other application's command never ran")
	}
	want := []string{"00A40100", "00A40200", "00A40900"}
	if got := hexAll(applet.commands()); !slices.Equal(got, want) {
		t.Errorf("card received %v, want the transaction's commands together: %v", got, want)
	}
}

func TestIntegrationRemovalInTransaction(t *testing.T) {
	needPCSC(t)
	c := newTestContext(t)

	t.Run("during a command", func(t *testing.T) {
		applet, card, slot := plugAndConnect(t, c)
		err := card.Transaction(func() error {
			go func() {
				<-applet.hung
				slot.pull() // the card leaves while it works on the command
			}()
			_, err := card.Transmit(apdu.Command{INS: insHang, Le: apdu.NoLe})
			close(applet.hang) // only now, so no answer can slip out first
			if !errors.Is(err, apdu.ErrCardRemoved) {
				t.Errorf("transmit: %v, want ErrCardRemoved", err)
			}
			return err
		})
		if !errors.Is(err, apdu.ErrCardRemoved) {
			t.Errorf("transaction: %v, want ErrCardRemoved", err)
		}
	})

	t.Run("between commands", func(t *testing.T) {
		_, card, slot := plugAndConnect(t, c)
		err := card.Transaction(func() error {
			if _, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); err != nil {
				return err
			}
			slot.unplug()
			waitPresence(t, false)
			_, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe})
			return err
		})
		if !errors.Is(err, apdu.ErrCardRemoved) {
			t.Errorf("transaction: %v, want ErrCardRemoved", err)
		}
		if _, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); !errors.Is(err, apdu.ErrCardRemoved) {
			t.Errorf("later transmit on the old handle: %v, want ErrCardRemoved", err)
		}
	})

	t.Run("reinserted", func(t *testing.T) {
		_, card, _ := plugAndConnect(t, c)
		resp, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe})
		if err != nil || resp.SW != apdu.OK {
			t.Errorf("transmit after re-insertion: %v, SW %04X", err, uint16(resp.SW))
		}
	})
}

// Another application resets the card: the next call says so, and the
// one after works.
func TestIntegrationReset(t *testing.T) {
	needPCSC(t)
	_, card, _ := plugAndConnect(t, newTestContext(t))
	sc, err := establishSystem()
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Release()
	other, err := sc.Connect(testReader, shareShared, protocolT0)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Disconnect(resetCard); err != nil {
		t.Fatal(err)
	}
	_, err = card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe})
	if !errors.Is(err, apdu.ErrCardReset) {
		t.Fatalf("transmit after a reset: %v, want ErrCardReset", err)
	}
	if _, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); err != nil {
		t.Errorf("transmit after reporting the reset: %v", err)
	}
}
