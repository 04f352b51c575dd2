package pcsc

import (
	"errors"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// A reader that advertised a feature and then refuses it, in any of the
// ways pcsc-lite or Windows report a refusal, falls back to the dialog
// for the rest of the Card's life.
func TestPINPadMisreportFallsBack(t *testing.T) {
	refuse := func(code scError) func(uint32) ([]byte, error) {
		return func(uint32) ([]byte, error) { return nil, code }
	}
	tests := []struct {
		name   string
		answer func(uint32) ([]byte, error)
		want   string
	}{
		{"6B80", sw(0x6B80), "rejected the PIN structure"},
		{"not transacted", refuse(scErrNotTransacted), scErrNotTransacted.Error()},
		{"pcsc-lite unsupported", refuse(scErrUnsupportedFeature), scErrUnsupportedFeature.Error()},
		{"invalid parameter", refuse(scErrInvalidParameter), scErrInvalidParameter.Error()},
		{"invalid value", refuse(scErrInvalidValue), scErrInvalidValue.Error()},
		{"windows unsupported", refuse(winUnsupportedFeature), "Windows code"},
		{"windows invalid function", refuse(winInvalidFunction), "ERROR_INVALID_FUNCTION"},
		{"windows not supported", refuse(winNotSupported), "ERROR_NOT_SUPPORTED"},
		{"windows invalid parameter", refuse(winInvalidParameter), "ERROR_INVALID_PARAMETER"},
	}
	for _, tt := range tests {
		card, fc := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures, tt.answer))
		_, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
		if !errors.Is(err, ErrPINPadUnusable) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: verify: %v; want ErrPINPadUnusable saying %q", tt.name, err, tt.want)
		}
		if v, m := card.PINPadFeatures(); v || m {
			t.Errorf("%s: PINPadFeatures after a misreport = %v, %v; want false, false", tt.name, v, m)
		}
		n := len(fc.log())
		if _, err := card.ModifyOnPINPad(eid.BelgianPINPadFormat, modifyTmpl); !errors.Is(err, ErrPINPadUnusable) {
			t.Errorf("%s: modify after a misreport: %v", tt.name, err)
		}
		if got := fc.log()[n:]; len(got) != 0 {
			t.Errorf("%s: a broken PIN pad was used again: %v", tt.name, got)
		}
	}
}

// A card pulled during entry may fail with the same code as a refusal;
// it must read as a removal and leave the PIN pad usable.
func TestPINPadCardPulledIsNotMisreport(t *testing.T) {
	card, fc := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures,
		func(uint32) ([]byte, error) { return nil, scErrNotTransacted }))
	card.PINPadFeatures()
	fc.absent = true
	_, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
	if !errors.Is(err, apdu.ErrCardRemoved) || errors.Is(err, ErrPINPadUnusable) {
		t.Errorf("verify with the card gone: %v; want a removal", err)
	}
	if card.brokenErr() != nil {
		t.Errorf("a removal marked the PIN pad broken")
	}
}

func TestPINPadNoStatusWord(t *testing.T) {
	card, _ := pinpadConnect(t, fakeReader, keypadReader(pinpadFeatures,
		func(uint32) ([]byte, error) { return []byte{0x90}, nil }))
	_, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
	if err == nil || !strings.Contains(err.Error(), "1 bytes without a status word") {
		t.Errorf("verify with a 1-byte answer: %v", err)
	}
}

func TestPINPadDenyList(t *testing.T) {
	for _, reader := range []string{"Gemplus GemPC Pinpad 0", "GEMPLUS GEMPC PINPAD 00 00"} {
		card, fc := pinpadConnect(t, reader, keypadReader(pinpadFeatures, sw(apdu.OK)))
		if v, m := card.PINPadFeatures(); v || m {
			t.Errorf("%s: PINPadFeatures = %v, %v; want false, false", reader, v, m)
		}
		_, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
		if !errors.Is(err, ErrPINPadUnusable) || !strings.Contains(err.Error(), "at most 8 PIN digits") {
			t.Errorf("%s: verify: %v", reader, err)
		}
		wantCalls(t, fc, "status") // the reader is not even asked
	}
}

// The deny list matches names, not a vendor: the GemPC Pinpad as the CCID
// driver names it now, and names that merely contain a denied one, keep
// their keypad.
func TestPINPadDenyListIsNarrow(t *testing.T) {
	for _, reader := range []string{
		"Gemalto USB GemPCPinpad SmartCard Reader 00 00",
		"Gemalto GemPC Pinpad 00 00",
		"Virtual Gemplus GemPC Pinpad 0",
		"Gemalto PC Twin Reader 00 00",
	} {
		card, fc := pinpadConnect(t, reader, keypadReader(pinpadFeatures, sw(apdu.OK)))
		if v, m := card.PINPadFeatures(); !v || !m {
			t.Errorf("%s: PINPadFeatures = %v, %v; want true, true", reader, v, m)
		}
		resp, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl)
		if err != nil || resp.SW != apdu.OK {
			t.Errorf("%s: verify = %v, %v", reader, resp, err)
		}
		s, _ := verifyStructure(eid.BelgianPINPadFormat, verifyTmpl)
		wantCalls(t, fc, "status", ctlCall(getFeatureRequest, nil), "begin", ctlCall(ctlVerify, s), "end")
	}
}
