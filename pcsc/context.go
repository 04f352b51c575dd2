package pcsc

import (
	"errors"
	"fmt"
	"sync"
)

// Context is a connection to the PC/SC service that survives restarts of
// the service: a call that finds its PC/SC context dead releases it and
// retries once on a fresh one. It is safe for concurrent use.
type Context struct {
	opts options

	mu     sync.Mutex
	sc     scContext // nil until first use and after a loss
	gen    uint64    // bumped on every establishment; Cards remember theirs
	closed bool
}

// NewContext validates opts and returns a Context. It does not contact the
// service yet, so it succeeds even while pcscd is down; the first call
// that needs the service establishes the PC/SC context.
func NewContext(opts ...Option) (*Context, error) {
	o, err := buildOptions(opts)
	if err != nil {
		return nil, err
	}
	return &Context{opts: o}, nil
}

// Close releases the PC/SC context. Cards connected through it stop
// working (ErrClosed); Close them first to leave the card cleanly.
func (c *Context) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.sc == nil {
		return nil
	}
	err := c.sc.Release()
	c.sc = nil
	if err != nil && !contextDead(err, true) {
		return wrap("release context", err)
	}
	return nil
}

// current returns the live PC/SC context, establishing one if needed.
func (c *Context) current() (scContext, uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, 0, ErrClosed
	}
	if c.sc == nil {
		sc, err := c.opts.establish()
		if err != nil {
			return nil, 0, err
		}
		c.sc = sc
		c.gen++
	}
	return c.sc, c.gen, nil
}

// invalidate drops the PC/SC context of generation gen after it was found
// dead. A newer context (someone already recovered) is left alone.
func (c *Context) invalidate(gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sc == nil || c.gen != gen {
		return
	}
	_ = c.sc.Release() // frees the client side; the daemon end is gone anyway
	c.sc = nil
}

// alive reports whether generation gen is still the live context, i.e.
// whether a Card opened on it can still work.
func (c *Context) alive(gen uint64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return ErrClosed
	case c.sc == nil || c.gen != gen:
		return ErrConnectionLost
	}
	return nil
}

// do runs fn on the live context. When fn fails because the context died
// (pcscd restarted), the context is replaced and fn runs once more, so the
// first call after a restart already succeeds.
func (c *Context) do(fn func(scContext, uint64) error) error {
	for attempt := 0; ; attempt++ {
		sc, gen, err := c.current()
		if err != nil {
			return err
		}
		err = fn(sc, gen)
		if attempt > 0 || !contextDead(err, true) {
			return err
		}
		c.invalidate(gen)
	}
}

// Readers lists the connected readers. With none it returns ErrNoReaders.
func (c *Context) Readers() ([]string, error) {
	var readers []string
	err := c.do(func(sc scContext, _ uint64) error {
		var err error
		readers, err = sc.ListReaders()
		return err
	})
	if err == nil && len(readers) == 0 {
		err = scErrNoReadersAvailable
	}
	if err != nil {
		return nil, wrap("list readers", err)
	}
	return readers, nil
}

// Connect opens the card in reader, in shared mode so that other
// applications keep access between our transactions.
//
// The protocol asked for is T=0 alone: the Belgian eID speaks only T=0
// (its ATRs offer nothing else) and its middleware asks for T=0 too;
// vpcd also negotiates T=0 for those ATRs. Only when a reader refuses T=0
// with a protocol mismatch is T=0|T=1 tried, so that a card that is not a
// Belgian eID still connects and can be identified (and rejected) by its
// ATR and answers instead of failing with an obscure protocol error.
func (c *Context) Connect(reader string) (*Card, error) {
	if reader == "" {
		return nil, errors.New("pcsc: connect: empty reader name")
	}
	var card *Card
	err := c.do(func(sc scContext, gen uint64) error {
		h, err := sc.Connect(reader, shareShared, protocolT0)
		if errors.Is(err, scErrProtoMismatch) {
			h, err = sc.Connect(reader, shareShared, protocolAny)
		}
		if err != nil {
			return err
		}
		card, err = newCard(c, gen, reader, h)
		return err
	})
	if err != nil {
		return nil, wrap(fmt.Sprintf("connect to %q", reader), err)
	}
	return card, nil
}
