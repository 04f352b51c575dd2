package agent

import (
	"context"

	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid"
)

// call is one request being served: the connection it came on, its
// context (ended by cancel, card removal, disconnection or shutdown) and,
// for card operations, the card it opened.
type call struct {
	s      *Server
	c      *conn
	ctx    context.Context
	cancel context.CancelCauseFunc // nil for operations without the card
	name   string
	lang   string // the dialogs' language (ui.PickLang of the page's)

	card    *OpenCard
	unwatch func()
	serial  string // chip serial, for the audit log
	asked   bool   // a dialog of this call was shown to the citizen
}

// open connects to the eID card and makes its removal end the call.
func (cl *call) open() (*eid.Card, error) {
	oc, err := cl.s.opts.Cards.Open()
	if err != nil {
		return nil, err
	}
	cl.card, cl.serial = oc, oc.Card.Data.SerialHex()
	cl.unwatch = cl.s.hub.watchCard(oc.Reader, cl.cancel)
	return oc.Card, nil
}

// release lets go of the card.
func (cl *call) release() {
	if cl.unwatch != nil {
		cl.unwatch()
	}
	cl.card.Close()
}

// logOff drops the PIN right a key operation leaves on the card, so the
// next operation, for this site or another, asks the PIN again. A card
// pulled meanwhile has lost it anyway; any other failure is logged.
func (cl *call) logOff(card *eid.Card) {
	if err := card.LogOff(); err != nil && cl.ctx.Err() == nil {
		cl.c.log.Warn("LOG OFF failed; the card may keep the PIN right until it is pulled", "err", err)
	}
}

// dialog prepares the citizen's dialog for this call.
func (cl *call) dialog(purpose ui.Purpose, holder string) *dialog {
	return &dialog{ui: cl.s.opts.UI, ctx: cl.ctx, limit: cl.s.opts.UserTimeout, asked: &cl.asked,
		base: ui.Question{Origin: cl.c.origin.String(), Lang: cl.lang, Purpose: purpose, Holder: holder}}
}

// record writes the audit line and the log line of a finished card
// operation. err is the Go error behind e, for the log only.
func (cl *call) record(e *Error, err error) {
	outcome := "ok"
	if e != nil {
		outcome = string(e.Code)
	}
	rec := AuditRecord{Time: cl.s.opts.Now().UTC(), Origin: cl.c.origin.String(),
		Operation: cl.name, CardSerial: cl.serial, Outcome: outcome}
	if aerr := cl.s.opts.Audit.Record(rec); aerr != nil {
		cl.c.log.Error("audit log", "err", aerr)
	}
	switch {
	case e == nil:
		cl.c.log.Info("operation done", "op", cl.name)
	case e.Code == CodeInternal:
		cl.c.log.Error("operation failed", "op", cl.name, "code", e.Code, "err", err)
	default:
		cl.c.log.Info("operation ended", "op", cl.name, "code", e.Code, "err", err)
	}
}
