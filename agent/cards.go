package agent

import (
	"context"

	"github.com/eidbridge/eidbridge/eid"
)

// Cards is how the agent reaches eID cards: PC/SC in production
// (NewPCSCCards), the in-process virtual card in tests (VirtualCards).
// The agent never builds APDUs; it calls package eid on what Open gives.
type Cards interface {
	// Watch sends reader and card changes to out until ctx ends,
	// starting with the readers and cards present. The agent runs one
	// Watch and fans its events out to every connection; it never polls.
	Watch(ctx context.Context, out chan<- CardEvent) error
	// Open connects to the first Belgian eID card in any reader. Errors
	// wrap ErrNoReader, ErrNoCard, ErrUnsupportedCard or ErrCardBusy when
	// they mean that. The caller calls Close on the result when done.
	Open() (*OpenCard, error)
}

// OpenCard is an identified eID card held for one operation.
type OpenCard struct {
	Card   *eid.Card
	Reader string
	close  func()
}

// NewOpenCard pairs card with the function that releases it.
func NewOpenCard(card *eid.Card, reader string, release func()) *OpenCard {
	return &OpenCard{Card: card, Reader: reader, close: release}
}

// Close releases the card; it is safe to call on nil.
func (o *OpenCard) Close() {
	if o != nil && o.close != nil {
		o.close()
	}
}

// CardEventKind is what changed; its value is the protocol's event name.
type CardEventKind string

// The four kinds of change.
const (
	ReaderAdded   CardEventKind = EventReaderAdded
	ReaderRemoved CardEventKind = EventReaderRemoved
	CardInserted  CardEventKind = EventCardInserted
	CardRemoved   CardEventKind = EventCardRemoved
)

// CardEvent is one change seen by Cards.Watch. ATR is set for
// CardInserted.
type CardEvent struct {
	Kind   CardEventKind
	Reader string
	ATR    []byte
}

// CardType names a card by its ATR: beid-1.7 (the RSA family, which the
// ATR cannot tell from expired pre-1.7 cards), beid-1.8, or unknown.
func CardType(atr []byte) string {
	switch eid.RecognizeATR(atr) {
	case eid.FamilyRSA:
		return CardBeID17
	case eid.FamilyEC:
		return CardBeID18
	}
	return CardUnknown
}
