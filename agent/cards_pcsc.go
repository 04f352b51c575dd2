package agent

import (
	"context"
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/pcsc"
)

// PCSCCards reaches cards through the platform's PC/SC service. Each
// operation connects afresh, so a restarted pcscd costs nothing more than
// the Context's own recovery.
type PCSCCards struct {
	pc *pcsc.Context
}

// NewPCSCCards uses pc for connections and its watcher for events.
func NewPCSCCards(pc *pcsc.Context) *PCSCCards { return &PCSCCards{pc: pc} }

// Watch forwards pcsc.Context.Watch; the process may run only one.
func (p *PCSCCards) Watch(ctx context.Context, out chan<- CardEvent) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan pcsc.Event, 16)
	done := make(chan error, 1)
	go func() { done <- p.pc.Watch(ctx, in) }()
	for {
		select {
		case ev := <-in:
			select {
			case out <- fromPCSC(ev):
			case <-ctx.Done():
			}
		case err := <-done:
			return err
		}
	}
}

func fromPCSC(ev pcsc.Event) CardEvent {
	kinds := map[pcsc.EventKind]CardEventKind{pcsc.ReaderAdded: ReaderAdded,
		pcsc.ReaderRemoved: ReaderRemoved, pcsc.CardInserted: CardInserted, pcsc.CardRemoved: CardRemoved}
	return CardEvent{Kind: kinds[ev.Kind], Reader: ev.Reader, ATR: ev.ATR}
}

// Open connects to the first reader holding a Belgian eID. When none
// does, the most telling failure is reported: a card that is there but
// unusable beats a busy card, which beats an empty reader.
func (p *PCSCCards) Open() (*OpenCard, error) {
	readers, err := p.pc.Readers()
	switch {
	case errors.Is(err, pcsc.ErrNoReaders):
		return nil, fmt.Errorf("%w: %v", ErrNoReader, err)
	case errors.Is(err, pcsc.ErrNoService):
		return nil, fmt.Errorf("%w: %v", ErrNoReader, err)
	case err != nil:
		return nil, fmt.Errorf("listing readers: %w", err)
	case len(readers) == 0:
		return nil, ErrNoReader
	}
	var best error
	rank := -1
	for _, r := range readers {
		oc, err := p.openIn(r)
		if err == nil {
			return oc, nil
		}
		if n := openRank(err); n > rank {
			best, rank = err, n
		}
	}
	return nil, best
}

// openIn connects to reader and identifies its card.
func (p *PCSCCards) openIn(reader string) (*OpenCard, error) {
	conn, err := p.pc.Connect(reader)
	switch {
	case errors.Is(err, pcsc.ErrNoCard), errors.Is(err, pcsc.ErrReaderGone):
		return nil, fmt.Errorf("%w: reader %q", ErrNoCard, reader)
	case errors.Is(err, pcsc.ErrCardBusy):
		return nil, fmt.Errorf("%w: reader %q: %v", ErrCardBusy, reader, err)
	case errors.Is(err, pcsc.ErrCardMute):
		return nil, fmt.Errorf("%w: reader %q: %v", ErrUnsupportedCard, reader, err)
	case err != nil:
		return nil, fmt.Errorf("reader %q: %w", reader, err)
	}
	family := eid.RecognizeATR(conn.ATR())
	if family == eid.NotBelgianEID {
		conn.Close()
		return nil, fmt.Errorf("%w: reader %q: ATR %X", ErrUnsupportedCard, reader, conn.ATR())
	}
	card, err := eid.Open(conn, family)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("reader %q: %w", reader, err)
	}
	return NewOpenCard(card, reader, func() { conn.Close() }), nil
}

// openRank orders Open failures by how much they tell the citizen.
func openRank(err error) int {
	switch {
	case errors.Is(err, ErrNoCard):
		return 0
	case errors.Is(err, ErrCardBusy):
		return 1
	case errors.Is(err, ErrUnsupportedCard):
		return 2
	}
	return 3 // a Belgian eID that failed to open: its own error says why
}
