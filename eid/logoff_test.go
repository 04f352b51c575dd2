package eid_test

import (
	"crypto"
	"slices"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

// LogOff after an authentication signature: one APDU, the card no longer
// holds the right, and the next signature asks the PIN again.
func TestLogOffAsksThePINAgain(t *testing.T) {
	for _, name := range pinFixtures() {
		eid.UseFakeClock(t)
		pc := openPINCard(t, name)
		p := promptPINs("1234", "1234")
		pc.signed(t, name, eid.KeyAuth, crypto.SHA256, "first", p.prompt)
		pc.log.reset()
		if err := pc.card.LogOff(); err != nil {
			t.Fatalf("%s: LogOff: %v", name, err)
		}
		if got := pc.log.steps(); !slices.Equal(got, []string{"logoff"}) {
			t.Errorf("%s: LogOff sent %v, want one LOG OFF", name, got)
		}
		if st, err := pc.card.PINStatus(); err != nil || st.Verified {
			t.Errorf("%s: after LogOff the PIN state is %+v (%v), want not verified", name, st, err)
		}
		pc.signed(t, name, eid.KeyAuth, crypto.SHA256, "second", p.prompt)
		if len(p.reqs) != 2 {
			t.Errorf("%s: PIN asked %d times for two signatures around LogOff, want 2", name, len(p.reqs))
		}
	}
}
