package pcsc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// watching enforces one Watch per process: scard's GetStatusChange (the
// scard backend) writes a package-level map without a lock, so two
// concurrent calls can crash the process, and a shared lock would hold a
// second watcher back for as long as the first one waits.
var watching atomic.Bool

// cancelEvery paces SCardCancel while Watch stops. pcsc-lite ignores a
// cancel that arrives before the call is waiting in the daemon, so one
// attempt can be lost; this short retry runs only while stopping.
const cancelEvery = 20 * time.Millisecond

// Watch sends reader and card changes to out until ctx is done, then
// returns nil. It starts by reporting the readers present (ReaderAdded)
// and their cards (CardInserted), so a consumer learns the initial state
// from the same stream. Watch does not close out.
//
// Between changes Watch sleeps inside SCardGetStatusChange with an
// infinite timeout, watching every reader plus the PnP pseudo-reader;
// there is no polling, except of the reader list on macOS (see session).
// When the PC/SC service goes away, Watch reports every card and reader
// removed, then retries establishing a context with a growing backoff
// (see WithWatchBackoff) and reports the readers again once the service
// is back.
//
// Watch uses a PC/SC context of its own: pcsc-lite serialises the calls of
// one context, and a wait that may last hours must not block Connect or
// Transmit. Closing the Context does not stop Watch; cancelling ctx does.
// Only one Watch may run per process (ErrWatchBusy).
func (c *Context) Watch(ctx context.Context, out chan<- Event) error {
	if out == nil {
		return errors.New("pcsc: watch: nil event channel")
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return fmt.Errorf("pcsc: watch: %w", ErrClosed)
	}
	if !watching.CompareAndSwap(false, true) {
		return fmt.Errorf("pcsc: watch: %w", ErrWatchBusy)
	}
	defer watching.Store(false)
	w := &watcher{opts: c.opts, out: out, known: snapshot{}}
	w.run(ctx)
	return nil
}

type watcher struct {
	opts  options
	out   chan<- Event
	known snapshot // what the consumer has been told

	mu sync.Mutex
	sc scContext // the live session's context, for cancel
}

func (w *watcher) run(ctx context.Context) {
	done := make(chan struct{})
	defer close(done)
	stop := context.AfterFunc(ctx, func() { w.cancelUntil(done) })
	defer stop()
	backoff := w.opts.backoffMin
	for ctx.Err() == nil {
		if w.establishAndWatch(ctx) {
			backoff = w.opts.backoffMin
			continue // it worked for a while: try again at once
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = nextBackoff(backoff, w.opts.backoffMax)
	}
}

// establishAndWatch runs one session on a fresh context and reports
// whether it ever saw the service answer. On return the consumer has been
// told that every reader is gone, unless ctx is done.
func (w *watcher) establishAndWatch(ctx context.Context) (progressed bool) {
	sc, err := w.opts.establish()
	if err != nil {
		return false
	}
	w.setSC(sc)
	progressed = w.session(ctx, sc)
	w.setSC(nil)
	_ = sc.Release()
	if ctx.Err() == nil {
		w.report(ctx, snapshot{})
	}
	return progressed
}

// session waits for changes until the context fails or ctx is done.
//
// pcsc-lite before 2.0 fires the PnP entry only when the reader count
// changes during a call, so a reader plugged in between listing and
// waiting is reported with the next change; 2.0 and Windows keep a reader
// event counter in the entry's state, which nextStates feeds back. macOS
// does not support the PnP entry (it reports it UNKNOWN, or refuses it as
// an unknown reader): there the reader list is polled every
// pollWithoutPnP instead.
func (w *watcher) session(ctx context.Context, sc scContext) (progressed bool) {
	var readers []string
	var last []readerState // as the previous call returned them
	relist, pnp := true, true
	refused := 0 // UNKNOWN_READER answers in a row right after listing
	for ctx.Err() == nil {
		fresh := relist
		if relist {
			var err error
			if readers, err = listReaders(sc); err != nil {
				return progressed
			}
			w.report(ctx, prune(w.known, readers))
			relist = false
		}
		states := nextStates(readers, last, pnp)
		err := waitChange(ctx, sc, states, pnp)
		switch {
		case ctx.Err() != nil:
			// cancelled; the code may be CANCELLED or, when the cancel
			// raced the call's end, INVALID_HANDLE
			return progressed
		case errors.Is(err, scErrUnknownReader) && fresh && pnp:
			// Once can be a reader pulled between listing and waiting;
			// twice in a row, it is the PnP entry the service refuses.
			refused++
			pnp = refused < 2
			relist = true
			continue
		case errors.Is(err, scErrUnknownReader), errors.Is(err, scErrTimeout):
			relist = true // a reader left between listing and waiting, or time to poll
			continue
		case err != nil:
			return progressed
		}
		progressed, refused = true, 0
		pnp = pnp && pnpSupported(states)
		w.report(ctx, snapshotOf(states))
		relist = needRelist(states) || !anyChanged(states)
		last = states
	}
	return progressed
}

// pollWithoutPnP is how often the reader list is read where the service
// cannot report reader changes: a reader plugged in shows within it.
var pollWithoutPnP = time.Second

// waitChange waits in GetStatusChange: for ever when the PnP entry wakes
// it for reader changes, else for pollWithoutPnP (and without calling it
// when there is nothing to watch, as a call without readers is
// ill-defined).
func waitChange(ctx context.Context, sc scContext, states []readerState, pnp bool) error {
	if pnp {
		return sc.GetStatusChange(states, -1)
	}
	if len(states) == 0 {
		select {
		case <-ctx.Done():
		case <-time.After(pollWithoutPnP):
		}
		return scErrTimeout
	}
	return sc.GetStatusChange(states, pollWithoutPnP)
}

// report sends the events that lead from what was told to snap.
func (w *watcher) report(ctx context.Context, snap snapshot) {
	for _, ev := range diff(w.known, snap) {
		select {
		case w.out <- ev:
		case <-ctx.Done():
			return
		}
	}
	w.known = snap
}

func (w *watcher) setSC(sc scContext) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sc = sc
}

// cancelUntil cancels the session's blocking call until run returns.
func (w *watcher) cancelUntil(done <-chan struct{}) {
	t := time.NewTicker(cancelEvery)
	defer t.Stop()
	for {
		w.mu.Lock()
		if w.sc != nil {
			_ = w.sc.Cancel()
		}
		w.mu.Unlock()
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

// listReaders lists readers; none is an empty list here, not an error.
func listReaders(sc scContext) ([]string, error) {
	readers, err := sc.ListReaders()
	if errors.Is(err, scErrNoReadersAvailable) {
		return nil, nil
	}
	return readers, err
}
