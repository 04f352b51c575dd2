package pcsc

import (
	"slices"
	"sync"
	"time"
)

// fakeSvc stands in for pcscd in unit tests: readers, cards, restarts.
type fakeSvc struct {
	mu          sync.Mutex
	down        bool
	epoch       int // bumped by restart; contexts of older epochs are dead
	slots       map[string]*fakeSlot
	pnp         uint32 // reader-list event counter, as Windows keeps it
	changed     chan struct{}
	established int
	refuseT0    bool // Connect with T=0 alone fails with a protocol mismatch
	script      func(cmd []byte) ([]byte, error)
	cards       []*fakeCard
	// As on macOS: the PnP entry is answered UNKNOWN and never fires
	// (noPnP), or refused as an unknown reader (refusePnP).
	noPnP, refusePnP bool
	refuseOnce       int // calls still to fail with UNKNOWN_READER (a reader left)
}

type fakeSlot struct {
	atr    []byte // nil: no card
	events uint32
}

func newFakeSvc(readers ...string) *fakeSvc {
	s := &fakeSvc{slots: map[string]*fakeSlot{}, pnp: 1, changed: make(chan struct{})}
	for _, r := range readers {
		s.slots[r] = &fakeSlot{}
	}
	return s
}

// notify wakes waiting GetStatusChange calls; s.mu must be held.
func (s *fakeSvc) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *fakeSvc) do(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
	s.notify()
}

func (s *fakeSvc) insert(r string, atr []byte) {
	s.do(func() { s.slots[r].atr = atr; s.slots[r].events++ })
}

func (s *fakeSvc) remove(r string) {
	s.do(func() { s.slots[r].atr = nil; s.slots[r].events++ })
}

func (s *fakeSvc) addReader(r string) {
	s.do(func() { s.slots[r] = &fakeSlot{}; s.pnp++ })
}

func (s *fakeSvc) setDown(down bool) {
	s.do(func() {
		if down && !s.down {
			s.epoch++
		}
		s.down = down
	})
}

func (s *fakeSvc) establish() (scContext, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return nil, scErrNoService
	}
	s.established++
	return &fakeCtx{svc: s, epoch: s.epoch, cancel: make(chan struct{})}, nil
}

type fakeCtx struct {
	svc      *fakeSvc
	epoch    int
	once     sync.Once
	cancel   chan struct{}
	released bool
}

// dead reports the service's verdict on this context; svc.mu held.
func (c *fakeCtx) dead() error {
	if c.svc.down || c.epoch != c.svc.epoch {
		return scErrNoService
	}
	if c.released {
		return scErrInvalidHandle
	}
	return nil
}

func (c *fakeCtx) ListReaders() ([]string, error) {
	c.svc.mu.Lock()
	defer c.svc.mu.Unlock()
	if err := c.dead(); err != nil {
		return nil, err
	}
	var out []string
	for r := range c.svc.slots {
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, scErrNoReadersAvailable
	}
	return out, nil
}

func (c *fakeCtx) Connect(r string, _ shareMode, p protocol) (scCard, error) {
	s := c.svc
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := c.dead(); err != nil {
		return nil, err
	}
	slot, ok := s.slots[r]
	switch {
	case !ok:
		return nil, scErrUnknownReader
	case slot.atr == nil:
		return nil, scErrNoSmartcard
	case p == protocolT0 && s.refuseT0:
		return nil, scErrProtoMismatch
	}
	active := protocolT0
	if p != protocolT0 {
		active = protocolT1
	}
	k := &fakeCard{ctx: c, reader: r, atr: slot.atr, proto: active, script: s.script}
	s.cards = append(s.cards, k)
	return k, nil
}

func (c *fakeCtx) GetStatusChange(states []readerState, timeout time.Duration) error {
	var expired <-chan time.Time
	if timeout >= 0 {
		expired = time.After(timeout)
	}
	for {
		c.svc.mu.Lock()
		if err := c.dead(); err != nil {
			c.svc.mu.Unlock()
			return err
		}
		if c.svc.refuseOnce > 0 {
			c.svc.refuseOnce--
			c.svc.mu.Unlock()
			return scErrUnknownReader
		}
		if c.svc.refusePnP && slices.ContainsFunc(states, func(rs readerState) bool { return rs.Reader == pnpReader }) {
			c.svc.mu.Unlock()
			return scErrUnknownReader
		}
		fire := false
		for i := range states {
			fire = c.svc.fill(&states[i]) || fire
		}
		ch := c.svc.changed
		c.svc.mu.Unlock()
		if fire {
			return nil
		}
		select {
		case <-ch:
		case <-c.cancel:
			return scErrCancelled
		case <-expired:
			return scErrTimeout
		}
	}
}

// fill sets rs's event state as pcscd would and reports a change.
func (s *fakeSvc) fill(rs *readerState) bool {
	if rs.Reader == pnpReader && s.noPnP {
		rs.EventState = stateUnknown
		if rs.CurrentState&stateUnknown == 0 {
			rs.EventState |= stateChanged
			return true
		}
		return false
	}
	if rs.Reader == pnpReader {
		rs.EventState = stateFlag(s.pnp << 16)
		if rs.CurrentState>>16 != stateFlag(s.pnp) {
			rs.EventState |= stateChanged
			return true
		}
		return false
	}
	slot, ok := s.slots[rs.Reader]
	if !ok {
		rs.EventState = stateUnknown | stateUnavailable
		if rs.CurrentState&stateUnknown == 0 {
			rs.EventState |= stateChanged
			return true
		}
		return false
	}
	ev := stateFlag(slot.events<<16) | stateEmpty
	rs.Atr = nil
	if slot.atr != nil {
		ev = stateFlag(slot.events<<16) | statePresent
		rs.Atr = append([]byte(nil), slot.atr...)
	}
	rs.EventState = ev
	if rs.CurrentState != ev {
		rs.EventState |= stateChanged
		return true
	}
	return false
}

func (c *fakeCtx) Cancel() error {
	c.once.Do(func() { close(c.cancel) })
	return nil
}

func (c *fakeCtx) Release() error {
	c.svc.mu.Lock()
	defer c.svc.mu.Unlock()
	err := c.dead()
	c.released = true
	return err
}
