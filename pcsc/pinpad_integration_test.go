package pcsc

import (
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

// The virtual reader has no keypad: whatever it answers to the feature
// request, the card must offer no PIN pad, so the eid code takes the
// on-screen dialog, and nothing must reach the card.
func TestIntegrationVirtualReaderHasNoPINPad(t *testing.T) {
	needPCSC(t)
	c := newTestContext(t)
	applet, card, _ := plugAndConnect(t, c)
	fs, err := card.Features()
	t.Logf("%s: features %v, err %v", testReader, fs, err)
	if err != nil && !errors.Is(err, ErrPINPadUnusable) {
		t.Errorf("feature request: %v; want a definite answer", err)
	}
	if fs.Has(FeatureVerifyPINDirect) || fs.Has(FeatureModifyPINDirect) {
		t.Errorf("the virtual reader claims a keypad: %v", fs)
	}
	if v, m := card.PINPadFeatures(); v || m {
		t.Errorf("PINPadFeatures = %v, %v; want false, false", v, m)
	}
	if _, err := card.VerifyOnPINPad(eid.BelgianPINPadFormat, verifyTmpl); !errors.Is(err, ErrPINPadUnusable) {
		t.Errorf("VerifyOnPINPad: %v; want ErrPINPadUnusable", err)
	}
	if got := applet.commands(); len(got) != 0 {
		t.Errorf("the card received % X", got)
	}
}
