package agent

import (
	"github.com/eidbridge/eidbridge/agent/ui"
)

// presenceCodes are the outcomes a page may learn without a dialog: they
// say whether a reader or a card is there (as status does) or how the
// request itself went, nothing of what is on the card.
var presenceCodes = map[Code]bool{
	CodeNoReader: true, CodeNoCard: true, CodeBusy: true, CodeCardRemoved: true,
	CodeUserCancelled: true, CodeUserTimeout: true, CodeActionPending: true,
	CodeRateLimited: true, CodeInvalidRequest: true, CodeUnknownOperation: true,
}

// purposes names each card operation for the dialog.
var purposes = map[string]ui.Purpose{
	OpAuthenticate: ui.PurposeAuthenticate, OpReadIdentity: ui.PurposeReadIdentity,
	OpGetSigningCertificate: ui.PurposeGetSigningCertificate, OpSign: ui.PurposeSign,
}

// gate keeps an answer that depends on the card's contents (a kids card,
// another card's certificate, a blocked PIN) from the page until the
// citizen has seen a dialog for this request: without it a site could
// probe the card silently. The citizen who refuses gives the page only
// USER_CANCELLED, the answer any refusal gives.
func (cl *call) gate(err error) error {
	if err == nil || cl.asked {
		return err
	}
	code := classify(cl.ctx, err).Code
	if presenceCodes[code] {
		return err
	}
	d := cl.dialog(purposes[cl.name], "")
	d.base.Blocked = code == CodePINBlocked // the citizen learns it first, with what to do
	if cerr := d.consent(0); cerr != nil {
		return cerr
	}
	return err
}
