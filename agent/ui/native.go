package ui

import (
	"context"
	"errors"
	"fmt"

	"github.com/ncruces/zenity"
)

// Native shows the desktop's own dialogs through zenity: Windows and
// macOS APIs, and on Linux and the BSDs the zenity program (or qarma or
// matedialog), which must be installed. Every dialog closes when ctx
// ends.
//
// On Linux and the BSDs the PIN dialog's answer is read from the dialog
// program straight into a buffer that is wiped (hiddenEntry). On Windows
// and macOS it passes through zenity as a Go string, which cannot be
// wiped; who needs every buffer wiped there uses the terminal UI or a
// pinpad reader. The slice Ask returns is the caller's to wipe.
type Native struct {
	d dialogs // nil: zenity
}

// dialogs are the three dialogs Native uses: the seam between the
// wording and answer logic and zenity. A dialog dismissed by its Cancel
// button or closed returns zenity.ErrCanceled.
type dialogs interface {
	// password asks for hidden text, in a buffer the caller wipes.
	password(ctx context.Context, title, text string) ([]byte, error)
	// question returns nil only when the citizen allows.
	question(ctx context.Context, title, text string) error
	// notice stays up until ctx ends; it only returns before if the
	// citizen cancels.
	notice(ctx context.Context, title, text string) error
	// site asks about a new site: AnswerOnce or AnswerAlways, or an
	// error when the citizen says no.
	site(ctx context.Context, title, text string) (string, error)
}

// NewNative checks that dialogs can be shown here.
func NewNative() (*Native, error) {
	if err := nativeAvailable(); err != nil {
		return nil, err
	}
	return &Native{d: zenityDialogs{}}, nil
}

// Ask shows q in a dialog.
func (n *Native) Ask(ctx context.Context, q Question) ([]byte, error) {
	if err := checkQuestion(q); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctxErr(ctx)
	}
	d := n.d
	if d == nil {
		if err := nativeAvailable(); err != nil {
			return nil, err
		}
		d = zenityDialogs{}
	}
	if zd, ok := d.(zenityDialogs); ok {
		zd.lang = q.Lang // the buttons speak the question's language
		zd.blocked = q.Blocked
		d = zd
	}
	title, text := Title(q), Text(q)
	switch {
	case q.Kind == KindPIN && q.PINPad:
		return nil, dialogErr(ctx, d.notice(ctx, title, text))
	case q.Kind == KindPIN:
		return askPINDialog(ctx, d, q.Lang, title, text)
	case q.Kind == KindSite:
		a, err := d.site(ctx, title, text+"\n\n"+T(q.Lang, "site.question"))
		if err = dialogErr(ctx, err); err != nil {
			return nil, err
		}
		return []byte(a), nil
	}
	return nil, dialogErr(ctx, d.question(ctx, title, text+"\n\n"+ConsentQuestion(q)))
}

// maxMalformed bounds the re-asks, so a dialog program that returns at
// once without showing anything cannot spin forever.
const maxMalformed = 10

// askPINDialog asks until the PIN is 4 to 12 digits: a malformed PIN is
// asked again and never reaches the card, so it costs no try.
func askPINDialog(ctx context.Context, d dialogs, lang, title, text string) ([]byte, error) {
	prompt := text
	for range maxMalformed {
		pin, err := d.password(ctx, title, prompt)
		if err != nil {
			clear(pin)
			return nil, dialogErr(ctx, err)
		}
		if validPIN(pin) {
			return pin, nil
		}
		clear(pin)
		prompt = T(lang, "pin.malformed") + "\n\n" + text
	}
	return nil, cancelledBecause(fmt.Sprintf("%d malformed PINs in a row", maxMalformed))
}

// dialogErr maps how a dialog ended to Ask's errors. ctx is looked at
// first: a dialog closed by ctx's end reports it in its own way.
func dialogErr(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctxErr(ctx)
	case err == nil:
		return nil
	case errors.Is(err, zenity.ErrCanceled):
		return ErrCancelled
	}
	return fmt.Errorf("native UI: the dialog failed: %w", err)
}

// zenityDialogs are the real dialogs, with buttons in lang. A blocked
// card's consent has a warning icon: it brings bad news first.
type zenityDialogs struct {
	lang    string
	blocked bool
}

// password is an entry with hidden text, not a password dialog: that one
// shows no text, and the text (who asks, for what, how many tries) is the
// point of the dialog.
func (z zenityDialogs) password(ctx context.Context, title, text string) ([]byte, error) {
	return hiddenEntry(ctx, title, text, T(z.lang, "button.cancel"))
}

func (z zenityDialogs) question(ctx context.Context, title, text string) error {
	// Refuse has the focus, so a key press meant for another window
	// cannot consent.
	icon := zenity.QuestionIcon
	if z.blocked {
		icon = zenity.WarningIcon
	}
	return zenity.Question(text, zenity.Title(title), icon,
		zenity.OKLabel(T(z.lang, "button.allow")), zenity.CancelLabel(T(z.lang, "button.refuse")), zenity.DefaultCancel(),
		zenity.Context(ctx))
}

// site has three buttons; No has the focus, for the reason question
// gives. The window's close box is no as well.
func (z zenityDialogs) site(ctx context.Context, title, text string) (string, error) {
	err := zenity.Question(text, zenity.Title(title), zenity.QuestionIcon,
		zenity.OKLabel(T(z.lang, "button.once")), zenity.ExtraButton(T(z.lang, "button.always")),
		zenity.CancelLabel(T(z.lang, "button.no")), zenity.DefaultCancel(), zenity.Context(ctx))
	switch {
	case err == nil:
		return AnswerOnce, nil
	case errors.Is(err, zenity.ErrExtraButton):
		return AnswerAlways, nil
	}
	return "", err
}

func (z zenityDialogs) notice(ctx context.Context, title, text string) error {
	// Its only button cancels: the reader, not the citizen, ends a
	// PINPad entry.
	err := zenity.Info(text, zenity.Title(title), zenity.InfoIcon,
		zenity.OKLabel(T(z.lang, "button.cancel")), zenity.Context(ctx))
	if err == nil {
		return zenity.ErrCanceled
	}
	return err
}
