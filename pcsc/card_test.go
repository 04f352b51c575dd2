package pcsc

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

var _ eid.Transport = (*Card)(nil)

const fakeReader = "Fake Reader 0"

// fakeConnect returns a Card on a fake service whose card runs applet.
func fakeConnect(t *testing.T, opts ...Option) (*fakeSvc, *Context, *Card, *fakeCard) {
	t.Helper()
	grace := removalGrace
	removalGrace = 200 * time.Millisecond // a fake service has no polling delay
	t.Cleanup(func() { removalGrace = grace })
	svc := newFakeSvc(fakeReader)
	applet := newTestApplet()
	svc.script = func(cmd []byte) ([]byte, error) { return applet.Process(cmd), nil }
	svc.insert(fakeReader, beid18ATR)
	c, err := NewContext(append(opts, withEstablish(svc.establish))...)
	if err != nil {
		t.Fatal(err)
	}
	card, err := c.Connect(fakeReader)
	if err != nil {
		t.Fatal(err)
	}
	return svc, c, card, svc.cards[len(svc.cards)-1]
}

func TestTransmitChainsInOwnTransaction(t *testing.T) {
	_, _, card, fc := fakeConnect(t)
	resp, err := card.Transmit(apdu.Command{CLA: 0x80, INS: insChained, Le: apdu.NoLe})
	if err != nil {
		t.Fatal(err)
	}
	if resp.SW != apdu.OK || !bytes.Equal(resp.Data, pattern(chainedLen, 0)) {
		t.Errorf("response = %d bytes, SW %04X; want %d bytes, 9000", len(resp.Data), uint16(resp.SW), chainedLen)
	}
	want := []string{"status", "begin", "tx 80CA0000", "tx 00C00000FF", "tx 00C000002D", "end"}
	if got := fc.log(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("calls = %v, want %v", got, want)
	}
}

func TestTransactionWrapsSeveralAPDUs(t *testing.T) {
	_, _, card, fc := fakeConnect(t)
	err := card.Transaction(func() error {
		for _, cmd := range []apdu.Command{{INS: insSelect, Le: apdu.NoLe}, {INS: insRead, Le: 0x10}} {
			if _, err := card.Transmit(cmd); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"status", "begin", "tx 00A40000", "tx 00B0000010", "tx 00B0000020", "end"}
	if got := fc.log(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("calls = %v, want one transaction around all: %v", got, want)
	}
}

func TestTransactionErrors(t *testing.T) {
	_, _, card, fc := fakeConnect(t)
	boom := errors.New("boom")
	fc.endErr = scErrCommDataLost
	if err := card.Transaction(func() error { return boom }); err != boom {
		t.Errorf("fn's error lost: %v", err)
	}
	if err := card.Transaction(func() error { return nil }); !errors.Is(err, scErrCommDataLost) {
		t.Errorf("end failure not reported: %v", err)
	}
	fc.endErr = scErrRemovedCard
	if err := card.Transaction(func() error { return nil }); err != nil {
		t.Errorf("a removal after fn completed is reported: %v", err)
	}
}

func TestResetIsReportedThenRecovered(t *testing.T) {
	_, _, card, fc := fakeConnect(t)
	fc.resetNext = true
	_, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe})
	if !errors.Is(err, apdu.ErrCardReset) {
		t.Fatalf("err = %v, want ErrCardReset", err)
	}
	if !strings.Contains(strings.Join(fc.log(), ","), "reconnect") {
		t.Errorf("no reconnect after the reset: %v", fc.log())
	}
	if _, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); err != nil {
		t.Errorf("transmit after the reset: %v", err)
	}
}

func TestRemovalFoundByStatus(t *testing.T) {
	tests := []struct {
		name    string
		script  func([]byte) ([]byte, error)
		absent  bool
		statErr error
		want    error
	}{
		{"empty answer, card absent", answer(nil, nil), true, nil, apdu.ErrCardRemoved},
		{"not transacted, status says removed", answer(nil, scErrNotTransacted), false, scErrRemovedCard, apdu.ErrCardRemoved},
		{"comm error, card absent", answer(nil, scErrCommError), true, nil, apdu.ErrCardRemoved},
		{"direct removal code", answer(nil, scErrRemovedCard), false, nil, apdu.ErrCardRemoved},
		{"reader unplugged", answer(nil, scErrReaderUnavailable), false, nil, ErrReaderGone},
		{"comm error, card present", answer(nil, scErrCommError), false, nil, scErrCommError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, card, fc := fakeConnect(t)
			fc.script, fc.absent, fc.statusErr = tt.script, tt.absent, tt.statErr
			_, err := card.TransmitRaw([]byte{0, insSelect, 0, 0})
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if tt.want == scErrCommError && errors.Is(err, apdu.ErrCardRemoved) {
				t.Errorf("a present card reads as removed: %v", err)
			}
		})
	}
}

// pcscd notices a removal a little after the failed exchange: probe must
// wait for it rather than call a pulled card present.
func TestRemovalNoticedLate(t *testing.T) {
	_, _, card, fc := fakeConnect(t)
	fc.script = answer(nil, scErrNotTransacted)
	fc.absentAfter = 3
	_, err := card.TransmitRaw([]byte{0, insSelect, 0, 0})
	if !errors.Is(err, apdu.ErrCardRemoved) {
		t.Errorf("err = %v, want ErrCardRemoved", err)
	}
}

func answer(resp []byte, err error) func([]byte) ([]byte, error) {
	return func([]byte) ([]byte, error) { return resp, err }
}

func TestTracerRedactsPIN(t *testing.T) {
	var lines []string
	tr := func(cmd, resp []byte) { lines = append(lines, fmt.Sprintf("% X -> % X", cmd, resp)) }
	_, _, card, _ := fakeConnect(t, WithTracer(tr))
	verify := apdu.Command{INS: insVerify, P2: 0x01, Data: []byte{0x24, 0x12, 0x34, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, Le: apdu.NoLe}
	if _, err := card.Transmit(verify); err != nil {
		t.Fatal(err)
	}
	want := "00 20 00 01 08 58 58 58 58 58 58 58 58 -> 90 00"
	if len(lines) != 1 || lines[0] != want {
		t.Errorf("trace = %q, want [%q]", lines, want)
	}
	card.SetTracer(nil)
	if _, err := card.Transmit(verify); err != nil || len(lines) != 1 {
		t.Errorf("tracing not turned off: %d lines, err %v", len(lines), err)
	}
}

func TestCardAccessors(t *testing.T) {
	_, _, card, _ := fakeConnect(t)
	if card.Reader() != fakeReader || !bytes.Equal(card.ATR(), beid18ATR) || card.Protocol() != "T=0" {
		t.Errorf("reader %q, ATR % X, protocol %s", card.Reader(), card.ATR(), card.Protocol())
	}
	if err := card.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); !errors.Is(err, ErrClosed) {
		t.Errorf("transmit after Close: %v", err)
	}
	if err := card.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
