package pcsc

import (
	"bytes"
	"fmt"
	"sort"
)

// EventKind says what changed.
type EventKind int

// Event kinds, in the order Watch reports them for one change: removals
// before additions, and a reader before its card (added) or after it
// (removed).
const (
	ReaderAdded EventKind = iota + 1
	ReaderRemoved
	CardInserted
	CardRemoved
)

func (k EventKind) String() string {
	switch k {
	case ReaderAdded:
		return "reader added"
	case ReaderRemoved:
		return "reader removed"
	case CardInserted:
		return "card inserted"
	case CardRemoved:
		return "card removed"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one change seen by Watch. ATR is set for CardInserted (it may
// be empty for a mute card).
type Event struct {
	Kind   EventKind
	Reader string
	ATR    []byte
}

func (e Event) String() string {
	if e.Kind == CardInserted {
		return fmt.Sprintf("%s: %q, ATR % X", e.Kind, e.Reader, e.ATR)
	}
	return fmt.Sprintf("%s: %q", e.Kind, e.Reader)
}

// pnpReader is the pseudo-reader whose state changes when readers come
// and go.
const pnpReader = `\\?PnP?\Notification`

// slot is what Watch knows about one reader.
type slot struct {
	present bool
	atr     []byte
	events  uint16 // count of insertions and removals kept by the service
}

// snapshot maps reader names to their slot.
type snapshot map[string]slot

// slotOf reads a reader state returned by GetStatusChange; ok is false
// when the reader is gone. The upper 16 bits of the state count card
// insertions and removals (pcsc-lite and Windows).
func slotOf(rs readerState) (s slot, ok bool) {
	if rs.EventState&stateUnknown != 0 {
		return slot{}, false
	}
	s.events = uint16(rs.EventState >> 16)
	if rs.EventState&statePresent != 0 {
		s.present = true
		s.atr = append([]byte(nil), rs.Atr...)
	}
	return s, true
}

// snapshotOf collects the readers of states, skipping the PnP entry and
// readers that are gone.
func snapshotOf(states []readerState) snapshot {
	snap := snapshot{}
	for _, rs := range states {
		if rs.Reader == pnpReader {
			continue
		}
		if s, ok := slotOf(rs); ok {
			snap[rs.Reader] = s
		}
	}
	return snap
}

// diff lists the events that turn old into cur, readers in name order.
// A card seen present in both but with another ATR or event count was
// swapped between two looks: it is reported removed, then inserted.
func diff(old, cur snapshot) []Event {
	var gone, came []Event
	for _, r := range sortedNames(old, cur) {
		o, hadReader := old[r]
		n, hasReader := cur[r]
		swapped := o.present && n.present && (o.events != n.events || !bytes.Equal(o.atr, n.atr))
		if o.present && (!n.present || swapped) {
			gone = append(gone, Event{Kind: CardRemoved, Reader: r})
		}
		if hadReader && !hasReader {
			gone = append(gone, Event{Kind: ReaderRemoved, Reader: r})
		}
		if hasReader && !hadReader {
			came = append(came, Event{Kind: ReaderAdded, Reader: r})
		}
		if n.present && (!o.present || swapped) {
			came = append(came, Event{Kind: CardInserted, Reader: r, ATR: append([]byte(nil), n.atr...)})
		}
	}
	return append(gone, came...)
}

func sortedNames(a, b snapshot) []string {
	names := make([]string, 0, len(a)+len(b))
	for r := range a {
		names = append(names, r)
	}
	for r := range b {
		if _, dup := a[r]; !dup {
			names = append(names, r)
		}
	}
	sort.Strings(names)
	return names
}

// nextStates builds the GetStatusChange input for readers: the PnP entry
// first (when pnp: the service supports it), then each reader. What the
// last call returned becomes the
// current state, event counter included, so the next call blocks until
// something really changes; a reader not seen before starts UNAWARE,
// which makes the call return at once with its state.
func nextStates(readers []string, prev []readerState, pnp bool) []readerState {
	known := make(map[string]stateFlag, len(prev))
	for _, rs := range prev {
		known[rs.Reader] = rs.EventState &^ stateChanged
	}
	out := make([]readerState, 0, len(readers)+1)
	if pnp {
		out = append(out, readerState{Reader: pnpReader, CurrentState: known[pnpReader]})
	}
	for _, r := range readers {
		out = append(out, readerState{Reader: r, CurrentState: known[r]})
	}
	return out
}

// needRelist reports that the reader list may have changed: the PnP entry
// fired or a watched reader is gone.
func needRelist(states []readerState) bool {
	for _, rs := range states {
		if rs.Reader == pnpReader && rs.EventState&stateChanged != 0 {
			return true
		}
		if rs.Reader != pnpReader && rs.EventState&stateUnknown != 0 {
			return true
		}
	}
	return false
}

// pnpSupported tells whether the service knows the PnP entry: macOS
// answers it UNKNOWN.
func pnpSupported(states []readerState) bool {
	for _, rs := range states {
		if rs.Reader == pnpReader {
			return rs.EventState&stateUnknown == 0
		}
	}
	return false
}

// anyChanged tells whether a call that returned reports a change; old
// macOS returns without one when the reader count changes.
func anyChanged(states []readerState) bool {
	for _, rs := range states {
		if rs.EventState&stateChanged != 0 {
			return true
		}
	}
	return false
}

// prune keeps the readers of snap that are still listed.
func prune(snap snapshot, readers []string) snapshot {
	out := make(snapshot, len(snap))
	for _, r := range readers {
		if s, ok := snap[r]; ok {
			out[r] = s
		}
	}
	return out
}
