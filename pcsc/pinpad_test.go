package pcsc

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// Control codes a pcsc-lite CCID reader hands out for its features.
const (
	ctlVerify = 0x42330006
	ctlModify = 0x42330007
)

// pinpadFeatures is a feature list with both DIRECT features.
var pinpadFeatures = []byte{
	0x06, 0x04, 0x42, 0x33, 0x00, 0x06,
	0x07, 0x04, 0x42, 0x33, 0x00, 0x07,
	0x0A, 0x04, 0x42, 0x33, 0x00, 0x0A,
}

// keypadReader answers the feature request with list and every keypad
// operation with answer (SW1 SW2 or an error).
func keypadReader(list []byte, answer func(ioctl uint32) ([]byte, error)) func(uint32, []byte) ([]byte, error) {
	return func(ioctl uint32, in []byte) ([]byte, error) {
		if ioctl == getFeatureRequest {
			if len(in) != 0 {
				return nil, fmt.Errorf("feature request with input % X", in)
			}
			return list, nil
		}
		return answer(ioctl)
	}
}

func sw(s apdu.Status) func(uint32) ([]byte, error) {
	return func(uint32) ([]byte, error) { return apdu.Response{SW: s}.Bytes(), nil }
}

// pinpadConnect connects to a fake card in a reader named reader whose
// SCardControl is ctl (nil: the reader supports none).
func pinpadConnect(t *testing.T, reader string, ctl func(uint32, []byte) ([]byte, error)) (*Card, *fakeCard) {
	t.Helper()
	wait, grace := keyRelease, removalGrace
	keyRelease, removalGrace = 0, 200*time.Millisecond // no human, no polling
	t.Cleanup(func() { keyRelease, removalGrace = wait, grace })
	svc := newFakeSvc(reader)
	applet := newTestApplet()
	svc.script = func(cmd []byte) ([]byte, error) { return applet.Process(cmd), nil }
	svc.insert(reader, beid18ATR)
	c, err := NewContext(withEstablish(svc.establish))
	if err != nil {
		t.Fatal(err)
	}
	card, err := c.Connect(reader)
	if err != nil {
		t.Fatal(err)
	}
	fc := svc.cards[len(svc.cards)-1]
	fc.control = ctl
	return card, fc
}

func ctlCall(code uint32, in []byte) string { return fmt.Sprintf("ctl %08X %X", code, in) }

func wantCalls(t *testing.T, fc *fakeCard, want ...string) {
	t.Helper()
	if got := fc.log(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("calls:\n got %q\nwant %q", got, want)
	}
}

func TestPINPadDiscoveryIsCached(t *testing.T) {
	card, fc := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures, sw(apdu.OK)))
	for range 3 {
		if v, m := card.PINPadFeatures(); !v || !m {
			t.Fatalf("PINPadFeatures = %v, %v; want true, true", v, m)
		}
	}
	fs, err := card.Features()
	if err != nil || len(fs) != 3 || fs[FeatureIFDPINProperties] != 0x4233000A {
		t.Errorf("Features = %v, %v", fs, err)
	}
	wantCalls(t, fc, "status", ctlCall(getFeatureRequest, nil))
}

func TestPINPadOnlyVerify(t *testing.T) {
	card, _ := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures[:6], sw(apdu.OK)))
	if v, m := card.PINPadFeatures(); !v || m {
		t.Errorf("PINPadFeatures = %v, %v; want true, false", v, m)
	}
	_, err := card.ModifyOnPINPad(eid.BelgianPINPadFormat, modifyTmpl)
	if !errors.Is(err, ErrPINPadUnusable) || !strings.Contains(err.Error(), "feature 07") {
		t.Errorf("modify without the feature: %v", err)
	}
}

// Every way a reader says "no part 10 here" must read as "no PIN pad",
// remembered for the Card, so the caller takes the dialog: pcsc-lite's
// codes, Windows' (its own SCARD_E_UNSUPPORTED_FEATURE value and the
// Win32 errors drivers pass through), and an empty or garbled list.
func TestNoPINPad(t *testing.T) {
	refuse := func(code scError) func(uint32, []byte) ([]byte, error) {
		return func(uint32, []byte) ([]byte, error) { return nil, code }
	}
	tests := []struct {
		name string
		ctl  func(uint32, []byte) ([]byte, error)
		code scError // the cause the error must wrap; 0: none
		want string
	}{
		{"no SCardControl at all", nil, scErrUnsupportedFeature, "SCARD_E_UNSUPPORTED_FEATURE"},
		{"pcsc-lite unsupported", refuse(scErrUnsupportedFeature), scErrUnsupportedFeature, "SCARD_E_UNSUPPORTED_FEATURE"},
		{"pcsc-lite driver error", refuse(scErrNotTransacted), scErrNotTransacted, "SCARD_E_NOT_TRANSACTED"},
		{"pcsc-lite old driver API", refuse(scErrInvalidParameter), scErrInvalidParameter, "SCARD_E_INVALID_PARAMETER"},
		{"windows unsupported", refuse(winUnsupportedFeature), winUnsupportedFeature, "SCARD_E_UNSUPPORTED_FEATURE"},
		{"windows invalid function", refuse(winInvalidFunction), winInvalidFunction, "ERROR_INVALID_FUNCTION"},
		{"windows not supported", refuse(winNotSupported), winNotSupported, "ERROR_NOT_SUPPORTED"},
		{"windows invalid parameter", refuse(winInvalidParameter), winInvalidParameter, "ERROR_INVALID_PARAMETER"},
		{"empty list", keypadReader(nil, sw(apdu.OK)), 0, "neither feature 06"},
		{"malformed list", keypadReader([]byte{0x06, 0x04, 0x42, 0x33}, sw(apdu.OK)), 0, "cut short"},
	}
	for _, tt := range tests {
		card, fc := pinpadConnect(t, fakeReader, tt.ctl)
		if v, m := card.PINPadFeatures(); v || m {
			t.Errorf("%s: PINPadFeatures = %v, %v; want false, false", tt.name, v, m)
		}
		_, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
		if !errors.Is(err, ErrPINPadUnusable) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: verify: %v; want ErrPINPadUnusable saying %q", tt.name, err, tt.want)
		}
		if tt.code != 0 && !errors.Is(err, tt.code) {
			t.Errorf("%s: verify: %v does not wrap %v", tt.name, err, tt.code)
		}
		wantCalls(t, fc, "status", ctlCall(getFeatureRequest, nil)) // asked once, nothing sent
	}
}

func TestPINPadDiscoveryRetriedAfterCardError(t *testing.T) {
	calls := 0
	list := keypadReader(pinpadFeatures, sw(apdu.OK))
	card, _ := pinpadConnect(t, fakeReader, func(ioctl uint32, in []byte) ([]byte, error) {
		if calls++; calls == 1 {
			return nil, scErrRemovedCard
		}
		return list(ioctl, in)
	})
	_, err := card.Features()
	if !errors.Is(err, apdu.ErrCardRemoved) || errors.Is(err, ErrPINPadUnusable) {
		t.Errorf("first discovery: %v; want a removal, not a verdict on the reader", err)
	}
	if v, m := card.PINPadFeatures(); !v || !m {
		t.Errorf("after the card came back: PINPadFeatures = %v, %v; want true, true", v, m)
	}
}

func TestVerifyOnPINPadOwnTransaction(t *testing.T) {
	card, fc := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures, sw(apdu.OK)))
	resp, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
	if err != nil || resp.SW != apdu.OK || len(resp.Data) != 0 {
		t.Fatalf("verify = %v, %v", resp, err)
	}
	s, _ := verifyStructure(eid.BelgianPINPadFormat, verifyTmpl)
	wantCalls(t, fc, "status", ctlCall(getFeatureRequest, nil), "begin", ctlCall(ctlVerify, s), "end")
}

func TestVerifyOnPINPadInCallersTransaction(t *testing.T) {
	card, fc := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures, sw(apdu.OK)))
	err := card.Transaction(func() error {
		if _, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); err != nil {
			return err
		}
		resp, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
		if err != nil {
			return err
		}
		return resp.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := verifyStructure(eid.BelgianPINPadFormat, verifyTmpl)
	wantCalls(t, fc, "status", "begin", "tx 00A40000", ctlCall(getFeatureRequest, nil), ctlCall(ctlVerify, s), "end")
}

func TestModifyOnPINPad(t *testing.T) {
	card, fc := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures, sw(apdu.OK)))
	resp, err := card.ModifyOnPINPad(eid.BelgianPINPadFormat, modifyTmpl)
	if err != nil || resp.SW != apdu.OK {
		t.Fatalf("modify = %v, %v", resp, err)
	}
	s, _ := modifyStructure(eid.BelgianPINPadFormat, modifyTmpl)
	wantCalls(t, fc, "status", ctlCall(getFeatureRequest, nil), "begin", ctlCall(ctlModify, s), "end")
}

// The reader's own SWs and the card's are answers, not errors: the eid
// code tells the citizen what happened.
func TestPINPadAnswersPassedBack(t *testing.T) {
	for _, want := range []apdu.Status{eid.PINPadTimeout, eid.PINPadCancelled, eid.PINPadMismatch,
		eid.PINPadBadLength, 0x63C2, apdu.AuthMethodBlocked} {
		card, _ := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures, sw(want)))
		resp, err := card.ModifyOnPINPad(eid.BelgianPINPadFormat, modifyTmpl)
		if err != nil || resp.SW != want {
			t.Errorf("answer %04X: got %v, %v", uint16(want), resp, err)
		}
		if v, m := card.PINPadFeatures(); !v || !m {
			t.Errorf("answer %04X disabled the PIN pad", uint16(want))
		}
	}
}

func TestPINPadBadFormatSendsNothing(t *testing.T) {
	card, fc := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures, sw(apdu.OK)))
	f := eid.BelgianPINPadFormat
	f.MaxDigits = 2
	if _, err := card.VerifyOnPINPad(f, verifyTmpl); err == nil || !strings.Contains(err.Error(), "digits 4..2") {
		t.Errorf("verify with a bad format: %v", err)
	}
	wantCalls(t, fc, "status")
}

func TestPINPadClosedCard(t *testing.T) {
	card, _ := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures, sw(apdu.OK)))
	card.PINPadFeatures()
	_ = card.Close()
	if _, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl); !errors.Is(err, ErrClosed) {
		t.Errorf("verify on a closed card: %v", err)
	}
}
