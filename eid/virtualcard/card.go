package virtualcard

import (
	"fmt"
	"sync"

	"github.com/eidbridge/eidbridge/apdu"
)

// Card is the APDU processor of a virtual BELPIC card. It implements
// vpcd.Card (for pcscd) and apdu.RawTransmitter (for eid.OverRaw), and
// every method is safe for concurrent use.
//
// The card owns the Content handed to New: VERIFY and CHANGE REFERENCE
// DATA update its PIN and PINTries in place, then call the state saver,
// so that a blocked card stays blocked across restarts.
//
// Power is not modelled beyond its effect on state: PowerOn, PowerOff
// and Reset all return to the reset state (beid-card.md §9 item 2),
// because pcscd never sends an APDU to an unpowered card.
type Card struct {
	mu       sync.Mutex
	content  *Content
	saver    func(*Content) error
	tracer   apdu.Tracer
	removed  bool
	removeIn int // APDUs still answered before a scheduled removal; 0 = none
	s        session
}

// Option configures a Card.
type Option func(*Card)

// WithStateSaver registers save, called (under the card's lock, so it
// must not call back into the Card) whenever the PIN or its tries counter
// changes. When it fails the command answers 6581 (memory failure)
// instead of claiming a change that did not persist.
func WithStateSaver(save func(*Content) error) Option {
	return func(k *Card) { k.saver = save }
}

// WithTracer reports every command the card answers, PIN redacted, with
// its raw response; it counts what really reached the card.
func WithTracer(tr apdu.Tracer) Option {
	return func(k *Card) { k.tracer = tr }
}

// New makes a freshly inserted, powered card serving c.
func New(c *Content, opts ...Option) *Card {
	k := &Card{content: c}
	for _, o := range opts {
		o(k)
	}
	k.s.reset()
	return k
}

// SetTracer replaces the tracer; nil turns tracing off.
func (k *Card) SetTracer(tr apdu.Tracer) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.tracer = tr
}

// ATRs of beid-card.md §1.1. Applet 1.7 shares its ATR with V1.1 cards,
// which is why readers must ask GET CARD DATA for the applet version.
var (
	cardATR17 = []byte{0x3B, 0x98, 0x13, 0x40, 0x0A, 0xA5, 0x03, 0x01, 0x01, 0x01, 0xAD, 0x13, 0x11}
	cardATR18 = []byte{0x3B, 0x7F, 0x96, 0x00, 0x00, 0x80, 0x31, 0x80, 0x65, 0xB0, 0x85, 0x04,
		0x01, 0x20, 0x12, 0x0F, 0xFF, 0x82, 0x90, 0x00}
)

// ATR returns the answer-to-reset of the card's applet version.
func (k *Card) ATR() []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.is18() {
		return append([]byte(nil), cardATR18...)
	}
	return append([]byte(nil), cardATR17...)
}

// PowerOn, PowerOff and Reset return the card to its reset state.
func (k *Card) PowerOn() { k.resetState() }

// PowerOff: see PowerOn.
func (k *Card) PowerOff() { k.resetState() }

// Reset: see PowerOn.
func (k *Card) Reset() { k.resetState() }

func (k *Card) resetState() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.s.reset()
}

// Remove pulls the card out of the reader: TransmitRaw fails with
// apdu.ErrCardRemoved until Insert.
func (k *Card) Remove() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.pull()
}

// Insert puts the card back; like a real insertion it powers the card
// up in its reset state. It also cancels a pending RemoveAfter.
func (k *Card) Insert() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.removed = false
	k.removeIn = 0
	k.s.reset()
}

// RemoveAfter lets the card answer n more APDUs and then pulls it, so a
// test can remove the card in the middle of a multi-APDU operation.
// n <= 0 removes it now.
func (k *Card) RemoveAfter(n int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if n <= 0 {
		k.pull()
		return
	}
	k.removeIn = n
}

func (k *Card) pull() {
	k.removed = true
	k.removeIn = 0
	k.s.reset()
}

// TransmitRaw answers one raw command APDU with data ‖ SW1 SW2. Card
// errors are status words; the error is only for a removed card.
func (k *Card) TransmitRaw(cmd []byte) ([]byte, error) {
	k.mu.Lock()
	if k.removed {
		k.mu.Unlock()
		return nil, fmt.Errorf("virtual card: transmit: %w", apdu.ErrCardRemoved)
	}
	resp := k.process(cmd)
	tr := k.tracer
	if k.removeIn > 0 {
		k.removeIn--
		if k.removeIn == 0 {
			k.pull()
		}
	}
	k.mu.Unlock()
	if tr != nil {
		// Outside the lock, so a tracer may use the card; copies, so it
		// cannot alter what the caller gets.
		tr(apdu.Redact(cmd), append([]byte(nil), resp...))
	}
	return resp, nil
}

// swRemoved is what Process answers on a removed card: vpcd cannot say
// "no card" per APDU, and 6F00 (no precise diagnosis) claims nothing.
var swRemoved = []byte{0x6F, 0x00}

// Process is TransmitRaw for vpcd, which wants a response in any case.
func (k *Card) Process(cmd []byte) []byte {
	resp, err := k.TransmitRaw(cmd)
	if err != nil {
		return append([]byte(nil), swRemoved...)
	}
	return resp
}

func (k *Card) is18() bool { return k.content.Applet == Applet18 }
