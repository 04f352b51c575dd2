package agent

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"sync"
)

// hub is the one consumer of Cards.Watch: it keeps the reader state that
// status reports, pushes each change to every connection, and ends the
// running operation when its card leaves.
type hub struct {
	log *slog.Logger
	key []byte // for the per-site reader handles

	mu      sync.Mutex
	readers map[string]string // reader → card type, "" when empty
	conns   map[*conn]struct{}
	opCard  string                  // reader of the running operation
	opStop  context.CancelCauseFunc // ends it with errCardRemoved
	opArmed bool                    // the hub has seen the operation's card inserted
}

func newHub(log *slog.Logger, key []byte) *hub {
	return &hub{log: log, key: key, readers: map[string]string{}, conns: map[*conn]struct{}{}}
}

// run consumes cards' events until ctx ends.
func (h *hub) run(ctx context.Context, cards Cards) {
	in := make(chan CardEvent, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := cards.Watch(ctx, in); err != nil {
			h.log.Error("watching readers failed; status and events stop", "err", err)
		}
	}()
	for {
		select {
		case ev := <-in:
			h.apply(ev)
		case <-done:
			return
		}
	}
}

// apply records ev, ends an operation on a card that left, and pushes
// the event, naming the reader by each site's own handle.
func (h *hub) apply(ev CardEvent) {
	var data ReaderEventData
	h.mu.Lock()
	switch ev.Kind {
	case ReaderAdded:
		if _, ok := h.readers[ev.Reader]; !ok {
			h.readers[ev.Reader] = ""
		}
	case ReaderRemoved:
		delete(h.readers, ev.Reader)
	case CardInserted:
		data.CardType = presenceType(ev.ATR)
		h.readers[ev.Reader] = data.CardType
	case CardRemoved:
		if _, ok := h.readers[ev.Reader]; ok {
			h.readers[ev.Reader] = ""
		}
	}
	if ev.Reader == h.opCard && h.opStop != nil {
		switch ev.Kind {
		case CardInserted:
			h.opArmed = true
		case CardRemoved, ReaderRemoved:
			if h.opArmed {
				h.opStop(errCardRemoved)
			}
		}
	}
	conns := make([]*conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	h.log.Debug("card event", "event", string(ev.Kind), "reader", ev.Reader)
	for _, c := range conns {
		data.Reader = ReaderHandle(h.key, c.origin.String(), ev.Reader)
		if msg, err := json.Marshal(EventMessage{Event: string(ev.Kind), Data: data}); err == nil {
			c.push(msg)
		}
	}
}

// status is the current state as origin sees it, readers sorted by
// their handle.
func (h *hub) status(origin string) StatusResult {
	h.mu.Lock()
	defer h.mu.Unlock()
	res := StatusResult{Readers: make([]ReaderStatus, 0, len(h.readers))}
	for name, typ := range h.readers {
		res.Readers = append(res.Readers, ReaderStatus{Name: ReaderHandle(h.key, origin, name),
			CardPresent: typ != "", CardType: typ})
	}
	sort.Slice(res.Readers, func(i, j int) bool { return res.Readers[i].Name < res.Readers[j].Name })
	return res
}

// watchCard makes the removal of reader's card end the running
// operation through stop, until the returned function is called. When the
// hub has not yet seen that card's insertion (it was just re-inserted and
// the events are still on their way), the removal of the previous card
// must not count: only a removal after the insertion does.
func (h *hub) watchCard(reader string, stop context.CancelCauseFunc) func() {
	h.mu.Lock()
	h.opCard, h.opStop, h.opArmed = reader, stop, h.readers[reader] != ""
	h.mu.Unlock()
	return func() {
		h.mu.Lock()
		h.opCard, h.opStop = "", nil
		h.mu.Unlock()
	}
}

func (h *hub) add(c *conn) {
	h.mu.Lock()
	h.conns[c] = struct{}{}
	h.mu.Unlock()
}

func (h *hub) remove(c *conn) {
	h.mu.Lock()
	delete(h.conns, c)
	h.mu.Unlock()
}

// all returns the connections, for shutdown.
func (h *hub) all() []*conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*conn, 0, len(h.conns))
	for c := range h.conns {
		out = append(out, c)
	}
	return out
}
