package agent

import (
	"context"
	"errors"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent/ui"
)

// allows: o is on the allowlist or the citizen allowed it before.
func (s *Server) allows(o Origin) bool {
	if s.opts.Origins.Allows(o) {
		return true
	}
	fc := s.opts.FirstContact
	return fc != nil && fc.Granted(o, s.opts.Now())
}

// meeting is how a first contact ended.
type meeting int

const (
	metAllowed meeting = iota // the citizen allowed the site
	metRefused                // no, no answer, or the site may not ask now
	metBusy                   // no dialog now: another is open or too many were
)

// meet shows the first-contact dialog for o, an origin allows refused,
// when FirstContact lets it come up. The dialog holds the card lock, so
// it is never on screen beside another dialog. ctx ends the dialog
// early (the page went away).
func (s *Server) meet(ctx context.Context, o Origin) meeting {
	fc := s.opts.FirstContact
	if fc == nil {
		return metRefused
	}
	if !s.cardMu.TryLock() {
		s.log.Info("no first-contact dialog", "origin", o.String(), "reason", "the card is in use")
		return metBusy
	}
	defer s.cardMu.Unlock()
	site, no := fc.reserve(o, s.opts.Now())
	if no != nil {
		s.log.Info("no first-contact dialog", "origin", o.String(), "reason", no.why)
		if no.busy {
			return metBusy
		}
		return metRefused
	}
	answer := s.askSite(ctx, o)
	if err := fc.answered(o, site, answer, s.opts.Now()); err != nil {
		s.log.Warn("the site answer is not saved", "origin", o.String(), "err", err)
	}
	s.log.Info("first contact", "origin", o.String(), "answer", outcomeOf(answer))
	s.opts.Audit.Record(AuditRecord{Time: s.opts.Now(), Origin: o.String(), Operation: "firstContact",
		Outcome: outcomeOf(answer)})
	if answer == ui.AnswerOnce || answer == ui.AnswerAlways {
		return metAllowed
	}
	return metRefused
}

// askSite shows the dialog in the desktop's language (a handshake has no
// page language yet) and returns the answer for FirstContact.answered.
func (s *Server) askSite(ctx context.Context, o Origin) string {
	ctx, cancel := context.WithTimeout(ctx, s.opts.UserTimeout)
	defer cancel()
	stop := context.AfterFunc(s.base, cancel) // shutdown closes the dialog
	defer stop()
	ans, err := s.opts.UI.Ask(ctx, ui.Question{Kind: ui.KindSite, Origin: o.String(), Lang: ui.PickLang("")})
	answer := string(ans)
	switch {
	case err == nil && (answer == ui.AnswerOnce || answer == ui.AnswerAlways):
		return answer
	case err == nil || errors.Is(err, ui.ErrCancelled):
		return answerNo
	}
	return "" // no answer: timeout, page gone, dialog failed
}

func outcomeOf(answer string) string {
	if answer == "" {
		return "unanswered"
	}
	return answer
}

// relayFirstContact shows the first-contact dialog for a proven relay's
// origin when the allowlist refuses it and it may ask, telling the relay
// first that the citizen is being asked, so that it waits past its usual
// time-out. The relay cannot end the dialog: it sends nothing until the
// verdict, and a relay that went away only misses the verdict. When no
// dialog can come up now (metBusy) there is no verdict either, so that
// the extension does not remember a refusal.
func (s *Server) relayFirstContact(ws *websocket.Conn, c *relayClaim) error {
	if c.allowed || s.opts.FirstContact == nil || !askable(c.origin) {
		return nil
	}
	ws.SetWriteDeadline(time.Now().Add(relayTimeout))
	if err := writeRelayMsg(ws, relayFields{Verdict: verdictAsking}); err != nil {
		return err
	}
	m := s.meet(s.base, c.origin)
	ws.SetWriteDeadline(time.Now().Add(relayTimeout))
	c.allowed = m == metAllowed
	if m == metBusy {
		return errors.New("no first-contact dialog can come up now")
	}
	return nil
}
