package pcsc

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// Control codes of a reader that offers only the START/FINISH pairs.
const (
	ctlVerifyStart  = 0x42330001
	ctlVerifyFinish = 0x42330002
	ctlModifyStart  = 0x42330003
	ctlModifyFinish = 0x42330004
)

var startFinishFeatures = []byte{
	0x01, 0x04, 0x42, 0x33, 0x00, 0x01,
	0x02, 0x04, 0x42, 0x33, 0x00, 0x02,
	0x03, 0x04, 0x42, 0x33, 0x00, 0x03,
	0x04, 0x04, 0x42, 0x33, 0x00, 0x04,
}

// startFinish answers START with start and FINISH with finish.
func startFinish(start []byte, finish func(uint32) ([]byte, error)) func(uint32, []byte) ([]byte, error) {
	return keypadReader(startFinishFeatures, func(ioctl uint32) ([]byte, error) {
		if ioctl == ctlVerifyStart || ioctl == ctlModifyStart {
			return start, nil
		}
		return finish(ioctl)
	})
}

func TestPINPadStartFinish(t *testing.T) {
	tests := []struct {
		name          string
		run           func(*Card) (apdu.Response, error)
		start, finish uint32
		structure     func() ([]byte, error)
		answer        apdu.Status
	}{
		{"verify", func(c *Card) (apdu.Response, error) { return c.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl) },
			ctlVerifyStart, ctlVerifyFinish, func() ([]byte, error) { return verifyStructure(eid.BelgianPINPadFormat, verifyTmpl) }, 0x63C2},
		{"modify", func(c *Card) (apdu.Response, error) { return c.ModifyOnPINPad(eid.BelgianPINPadFormat, modifyTmpl) },
			ctlModifyStart, ctlModifyFinish, func() ([]byte, error) { return modifyStructure(eid.BelgianPINPadFormat, modifyTmpl) }, apdu.OK},
	}
	for _, tt := range tests {
		card, fc := pinpadConnect(t, fakeReader, startFinish(nil, sw(tt.answer)))
		if v, m := card.PINPadFeatures(); !v || !m {
			t.Errorf("%s: PINPadFeatures = %v, %v; want true, true", tt.name, v, m)
		}
		resp, err := tt.run(card)
		if err != nil || resp.SW != tt.answer {
			t.Errorf("%s: got %v, %v; want the FINISH answer %04X", tt.name, resp, err, uint16(tt.answer))
		}
		s, _ := tt.structure()
		wantCalls(t, fc, "status", ctlCall(getFeatureRequest, nil), "begin", ctlCall(tt.start, s), ctlCall(tt.finish, nil), "end")
	}
}

func TestPINPadPrefersDirect(t *testing.T) {
	list := append(append([]byte{}, startFinishFeatures...), pinpadFeatures...)
	card, fc := pinpadConnect(t, fakeReader, keypadReader(list, sw(apdu.OK)))
	if _, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl); err != nil {
		t.Fatal(err)
	}
	s, _ := verifyStructure(eid.BelgianPINPadFormat, verifyTmpl)
	wantCalls(t, fc, "status", ctlCall(getFeatureRequest, nil), "begin", ctlCall(ctlVerify, s), "end")
}

// Half a pair is no keypad: START without FINISH could not end.
func TestPINPadIncompletePair(t *testing.T) {
	card, fc := pinpadConnect(t, fakeReader, keypadReader(startFinishFeatures[:6], sw(apdu.OK)))
	if v, m := card.PINPadFeatures(); v || m {
		t.Errorf("PINPadFeatures = %v, %v; want false, false", v, m)
	}
	_, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
	if !errors.Is(err, ErrPINPadUnusable) || !strings.Contains(err.Error(), "neither feature 06 nor the pair 01/02") {
		t.Errorf("verify with START alone: %v", err)
	}
	wantCalls(t, fc, "status", ctlCall(getFeatureRequest, nil))
}

// A reader that fails either half falls back to the dialog for good; a
// START that answers anything is never followed by FINISH.
func TestPINPadStartFinishMisbehaves(t *testing.T) {
	s, _ := verifyStructure(eid.BelgianPINPadFormat, verifyTmpl)
	tests := []struct {
		name   string
		start  []byte
		finish func(uint32) ([]byte, error)
		want   string
		calls  []string
	}{
		{"START refuses", []byte{0x6B, 0x80}, sw(apdu.OK), "refused to start PIN entry",
			[]string{ctlCall(ctlVerifyStart, s)}},
		{"START answers data", []byte{1, 2, 3}, sw(apdu.OK), "answered START with 3 bytes",
			[]string{ctlCall(ctlVerifyStart, s)}},
		{"FINISH refuses", nil, func(uint32) ([]byte, error) { return nil, winUnsupportedFeature }, "Windows code",
			[]string{ctlCall(ctlVerifyStart, s), ctlCall(ctlVerifyFinish, nil), "status"}},
		{"FINISH rejects structure", nil, sw(0x6B80), "rejected the PIN structure",
			[]string{ctlCall(ctlVerifyStart, s), ctlCall(ctlVerifyFinish, nil)}},
	}
	for _, tt := range tests {
		card, fc := pinpadConnect(t, fakeReader, startFinish(tt.start, tt.finish))
		_, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
		if !errors.Is(err, ErrPINPadUnusable) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: verify: %v; want ErrPINPadUnusable saying %q", tt.name, err, tt.want)
		}
		want := append([]string{"status", ctlCall(getFeatureRequest, nil), "begin"}, append(tt.calls, "end")...)
		wantCalls(t, fc, want...)
		if v, m := card.PINPadFeatures(); v || m {
			t.Errorf("%s: PINPadFeatures after a misreport = %v, %v; want false, false", tt.name, v, m)
		}
	}
}

func TestPINPadFinishCardPulled(t *testing.T) {
	var fc *fakeCard
	card, fc := pinpadConnect(t, fakeReader, startFinish(nil, func(uint32) ([]byte, error) {
		fc.absent = true
		return nil, scErrNotTransacted
	}))
	_, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
	if !errors.Is(err, apdu.ErrCardRemoved) || errors.Is(err, ErrPINPadUnusable) {
		t.Errorf("verify with the card pulled during entry: %v; want a removal", err)
	}
	if card.brokenErr() != nil {
		t.Error("a removal marked the PIN pad broken")
	}
}

// From START to FINISH the reader waits for the keypad: no command of
// this process may reach the card in between.
func TestPINPadStartFinishHoldsTheCard(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	card, fc := pinpadConnect(t, fakeReader, keypadReader(startFinishFeatures, func(ioctl uint32) ([]byte, error) {
		if ioctl == ctlVerifyStart {
			close(entered)
			<-release
			return nil, nil
		}
		return apdu.Response{SW: apdu.OK}.Bytes(), nil
	}))
	verified := make(chan error)
	go func() {
		_, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
		verified <- err
	}()
	<-entered
	sent := make(chan error)
	go func() {
		_, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe})
		sent <- err
	}()
	time.Sleep(20 * time.Millisecond) // room for the command to queue up
	close(release)
	if err := <-verified; err != nil {
		t.Fatal(err)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	calls := strings.Join(fc.log(), "|")
	finish := strings.Index(calls, ctlCall(ctlVerifyFinish, nil))
	if tx := strings.Index(calls, "tx "); finish < 0 || tx < finish {
		t.Errorf("a command reached the card between START and FINISH: %s", calls)
	}
}
