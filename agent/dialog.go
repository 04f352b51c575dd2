package agent

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid"
)

// dialog asks the citizen about one operation through the UI. Every card
// operation shows at least one question (consent or PIN), each bounded by
// the user timeout and ended early when the operation's context ends.
type dialog struct {
	ui     ui.UI
	ctx    context.Context
	limit  time.Duration // per question
	base   ui.Question   // origin, purpose, holder
	shown  bool          // a question was put to the citizen
	asked  *bool         // the call's own record of that, when set
	wrong  bool          // the last PIN was refused
	notice *notice       // the pinpad notice on screen, if any
}

// consent asks whether to go ahead; nil means yes.
func (d *dialog) consent(triesLeft int) error {
	q := d.base
	q.Kind, q.TriesLeft = ui.KindConsent, triesLeft
	ans, err := d.ask(q)
	wipe(ans)
	return err
}

// ask puts q to the citizen with the user timeout. When the question
// ends because the operation did (card pulled, page cancelled), the
// operation's cause is returned, so the page learns why.
func (d *dialog) ask(q ui.Question) ([]byte, error) {
	d.markShown()
	ctx, cancel := context.WithTimeoutCause(d.ctx, d.limit, errDialogTimout)
	defer cancel()
	ans, err := d.ui.Ask(ctx, q)
	if err == nil {
		return ans, nil
	}
	wipe(ans)
	if cause := context.Cause(ctx); cause != nil && !errors.Is(err, ui.ErrCancelled) {
		return nil, cause
	}
	return nil, err
}

func (d *dialog) markShown() {
	d.shown = true
	if d.asked != nil {
		*d.asked = true
	}
}

// holderFromCert names the citizen from a certificate subject: given
// names then surname, as the card prints them, or the common name
// without its "(Authentication)" / "(Signature)" suffix.
func holderFromCert(c *x509.Certificate) string {
	var sn, gn string
	for _, a := range c.Subject.Names {
		s, _ := a.Value.(string)
		switch {
		case a.Type.Equal(oidSurname):
			sn = s
		case a.Type.Equal(oidGivenName):
			gn = s
		}
	}
	if name := strings.TrimSpace(gn + " " + sn); name != "" {
		return name
	}
	cn := c.Subject.CommonName
	if i := strings.LastIndex(cn, " ("); i > 0 {
		cn = cn[:i]
	}
	return cn
}

var (
	oidSurname   = asn1.ObjectIdentifier{2, 5, 4, 4}
	oidGivenName = asn1.ObjectIdentifier{2, 5, 4, 42}
)

// holderFromIdentity names the citizen from the identity file.
func holderFromIdentity(id *eid.Identity) string {
	return strings.TrimSpace(id.GivenNames + " " + id.Surname)
}

// pinStatus reads the tries left, refusing a blocked PIN before any
// dialog: asking a PIN that can no longer work would only confuse.
func pinStatus(card *eid.Card) (eid.PINState, error) {
	st, err := card.PINStatus()
	if err != nil {
		return st, fmt.Errorf("reading the PIN status: %w", err)
	}
	if st.Blocked {
		return st, eid.ErrPINBlocked
	}
	return st, nil
}

// wipe zeroes an answer that may hold a PIN.
func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
