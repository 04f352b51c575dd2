package agent

import (
	"context"
	"errors"

	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
)

// classify turns whatever an operation returned into the protocol error
// the page sees. ctx is the operation's context: its cause (card pulled,
// page cancelled, shutdown) explains a dialog that ended early. Only the
// error's code and a fixed message leave the agent; the Go error itself
// goes to the log, and eid's errors never hold a PIN.
func classify(ctx context.Context, err error) *Error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	if c := causeCode(context.Cause(ctx)); c != "" {
		return newError(c)
	}
	return newError(errorCode(err))
}

// causeCode maps the reason an operation's context ended.
func causeCode(cause error) Code {
	switch {
	case cause == nil:
		return ""
	case errors.Is(cause, errCardRemoved):
		return CodeCardRemoved
	case errors.Is(cause, errPageCancel), errors.Is(cause, errShutdown), errors.Is(cause, errConnClosed):
		return CodeUserCancelled
	case errors.Is(cause, errDialogTimout):
		return CodeUserTimeout
	}
	return ""
}

// codeTable is checked in order: the first sentinel err matches wins.
// PIN-blocked comes first because a last wrong try matches both
// ErrWrongPIN and ErrPINBlocked.
var codeTable = []struct {
	err  error
	code Code
}{
	{eid.ErrPINBlocked, CodePINBlocked},
	{errCardRemoved, CodeCardRemoved},
	{ErrCardGone, CodeCardRemoved},
	{apdu.ErrCardRemoved, CodeCardRemoved},
	{apdu.ErrCardReset, CodeCardRemoved},
	{ui.ErrCancelled, CodeUserCancelled},
	{eid.ErrPINPadCancelled, CodeUserCancelled},
	{errPageCancel, CodeUserCancelled},
	{ui.ErrTimeout, CodeUserTimeout},
	{eid.ErrPINPadTimeout, CodeUserTimeout},
	{errDialogTimout, CodeUserTimeout},
	{context.DeadlineExceeded, CodeUserTimeout},
	{context.Canceled, CodeUserCancelled},
	{ErrNoReader, CodeNoReader},
	{ErrNoCard, CodeNoCard},
	{ErrCardBusy, CodeBusy},
	{ErrUnsupportedCard, CodeUnsupportedCard},
	{eid.ErrUnsupportedApplet, CodeUnsupportedCard},
	{eid.ErrNotPersonalized, CodeUnsupportedCard},
	{eid.ErrNoCertificate, CodeUnsupportedCard},
}

func errorCode(err error) Code {
	for _, e := range codeTable {
		if errors.Is(err, e.err) {
			return e.code
		}
	}
	return CodeInternal
}
