package agent

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/eidbridge/eidbridge/eid"
)

// RawCard is a card the VirtualCards can hold: the in-process virtual
// eID (*virtualcard.Card) or any other APDU processor a test writes. One
// that also implements eid.PINPad plays a card in a keypad reader.
type RawCard interface {
	ATR() []byte
	TransmitRaw(cmd []byte) ([]byte, error)
}

// VirtualCards is Cards over in-process cards, for tests and benchmarks:
// readers and cards come and go when the test says, with the same events
// PC/SC would give.
type VirtualCards struct {
	mu      sync.Mutex
	readers []string
	cards   map[string]RawCard // reader → card present
	events  chan CardEvent
}

// NewVirtualCards starts with no reader.
func NewVirtualCards() *VirtualCards {
	return &VirtualCards{cards: map[string]RawCard{}, events: make(chan CardEvent, 256)}
}

// AddReader plugs in an empty reader.
func (v *VirtualCards) AddReader(name string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.readers = append(v.readers, name)
	v.emit(CardEvent{Kind: ReaderAdded, Reader: name})
}

// RemoveReader unplugs a reader, pulling its card first.
func (v *VirtualCards) RemoveReader(name string) {
	v.Remove(name)
	v.mu.Lock()
	defer v.mu.Unlock()
	for i, r := range v.readers {
		if r == name {
			v.readers = append(v.readers[:i], v.readers[i+1:]...)
			v.emit(CardEvent{Kind: ReaderRemoved, Reader: name})
			return
		}
	}
}

// Insert puts card into reader (which must exist). A card with an
// Insert method (a virtualcard.Card pulled earlier) is powered up again.
func (v *VirtualCards) Insert(reader string, card RawCard) {
	if in, ok := card.(interface{ Insert() }); ok {
		in.Insert()
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.cards[reader] = card
	v.emit(CardEvent{Kind: CardInserted, Reader: reader, ATR: card.ATR()})
}

// Remove pulls the card out of reader: a card with a Remove method stops
// answering at once, as a real card would, and cardRemoved is reported.
func (v *VirtualCards) Remove(reader string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	card, ok := v.cards[reader]
	if !ok {
		return
	}
	if rm, ok := card.(interface{ Remove() }); ok {
		rm.Remove()
	}
	delete(v.cards, reader)
	v.emit(CardEvent{Kind: CardRemoved, Reader: reader})
}

// Status is the state as the agent should report it once it has taken
// every event, with the PC/SC names (a site sees each through
// ReaderHandle): tests wait for the agent's status to match it.
func (v *VirtualCards) Status() StatusResult {
	v.mu.Lock()
	defer v.mu.Unlock()
	res := StatusResult{Readers: make([]ReaderStatus, 0, len(v.readers))}
	for _, r := range v.readers {
		st := ReaderStatus{Name: r}
		if c, ok := v.cards[r]; ok {
			st.CardPresent, st.CardType = true, presenceType(c.ATR())
		}
		res.Readers = append(res.Readers, st)
	}
	slices.SortFunc(res.Readers, func(a, b ReaderStatus) int { return strings.Compare(a.Name, b.Name) })
	return res
}

// emit queues an event; the queue is large, and a test that overflows it
// has no watcher, so dropping is harmless.
func (v *VirtualCards) emit(ev CardEvent) {
	select {
	case v.events <- ev:
	default:
	}
}

// Watch reports the current state, then every change, until ctx ends.
func (v *VirtualCards) Watch(ctx context.Context, out chan<- CardEvent) error {
	v.mu.Lock()
	var initial []CardEvent
	for _, r := range v.readers {
		initial = append(initial, CardEvent{Kind: ReaderAdded, Reader: r})
		if c, ok := v.cards[r]; ok {
			initial = append(initial, CardEvent{Kind: CardInserted, Reader: r, ATR: c.ATR()})
		}
	}
	for len(v.events) > 0 { // already covered by the initial state
		<-v.events
	}
	v.mu.Unlock()
	for _, ev := range initial {
		if !send(ctx, out, ev) {
			return nil
		}
	}
	for {
		select {
		case ev := <-v.events:
			if !send(ctx, out, ev) {
				return nil
			}
		case <-ctx.Done():
			return nil
		}
	}
}

func send(ctx context.Context, out chan<- CardEvent, ev CardEvent) bool {
	select {
	case out <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

// Open opens the first reader's card that is a Belgian eID.
func (v *VirtualCards) Open() (*OpenCard, error) {
	v.mu.Lock()
	readers := append([]string(nil), v.readers...)
	cards := make(map[string]RawCard, len(v.cards))
	for r, c := range v.cards {
		cards[r] = c
	}
	v.mu.Unlock()
	if len(readers) == 0 {
		return nil, ErrNoReader
	}
	err := ErrNoCard
	for _, r := range readers {
		c, ok := cards[r]
		if !ok {
			continue
		}
		family := eid.RecognizeATR(c.ATR())
		if family == eid.NotBelgianEID {
			err = fmt.Errorf("%w: reader %q: ATR %X", ErrUnsupportedCard, r, c.ATR())
			continue
		}
		var t eid.Transport = eid.OverRaw(c)
		if pp, ok := c.(eid.PINPad); ok { // a test's keypad reader
			t = pinPadTransport{t, pp}
		}
		card, oerr := eid.Open(t, family)
		if oerr != nil {
			return nil, fmt.Errorf("reader %q: %w", r, oerr)
		}
		return NewOpenCard(card, r, nil), nil
	}
	return nil, err
}

// pinPadTransport is a transport whose reader has a keypad.
type pinPadTransport struct {
	eid.Transport
	eid.PINPad
}
