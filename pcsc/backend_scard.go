//go:build !((linux || darwin) && (!cgo || pcsc_purego))

package pcsc

import (
	"errors"
	"time"

	"github.com/ebfe/scard"
)

// The scard backend: cgo against pcsc-lite on Linux, winscard.dll through
// syscalls on Windows, and the PCSC framework when built with cgo on a
// Mac. It only translates between scard's types and this package's.

// establishSystem opens a context on the system's PC/SC service.
func establishSystem() (scContext, error) {
	c, err := scard.EstablishContext()
	if err != nil {
		return nil, fromScard(err)
	}
	return sysContext{c}, nil
}

// fromScard turns scard's error type into scError, the one the rest of
// the package tests for.
func fromScard(err error) error {
	var code scard.Error
	if errors.As(err, &code) {
		return scError(code)
	}
	return err
}

type sysContext struct{ c *scard.Context }

func (s sysContext) ListReaders() ([]string, error) {
	r, err := s.c.ListReaders()
	return r, fromScard(err)
}

func (s sysContext) Connect(reader string, mode shareMode, proto protocol) (scCard, error) {
	h, err := s.c.Connect(reader, scard.ShareMode(mode), scard.Protocol(proto))
	if err != nil {
		return nil, fromScard(err)
	}
	return sysCard{h}, nil
}

func (s sysContext) GetStatusChange(states []readerState, timeout time.Duration) error {
	rs := make([]scard.ReaderState, len(states))
	for i, st := range states {
		rs[i] = scard.ReaderState{Reader: st.Reader, CurrentState: scard.StateFlag(st.CurrentState), Atr: st.Atr}
	}
	if err := s.c.GetStatusChange(rs, timeout); err != nil {
		return fromScard(err)
	}
	for i := range states {
		states[i].EventState = stateFlag(rs[i].EventState)
		states[i].Atr = rs[i].Atr
	}
	return nil
}

func (s sysContext) Cancel() error  { return fromScard(s.c.Cancel()) }
func (s sysContext) Release() error { return fromScard(s.c.Release()) }

type sysCard struct{ h *scard.Card }

func (k sysCard) Transmit(cmd []byte) ([]byte, error) {
	r, err := k.h.Transmit(cmd)
	return r, fromScard(err)
}

func (k sysCard) Control(ioctl uint32, in []byte) ([]byte, error) {
	r, err := k.h.Control(ioctl, in)
	return r, fromScard(err)
}

func (k sysCard) Status() (*cardStatus, error) {
	st, err := k.h.Status()
	if err != nil {
		return nil, fromScard(err)
	}
	return &cardStatus{Reader: st.Reader, State: cardState(st.State), ActiveProtocol: protocol(st.ActiveProtocol), Atr: st.Atr}, nil
}

func (k sysCard) BeginTransaction() error { return fromScard(k.h.BeginTransaction()) }

func (k sysCard) EndTransaction(d disposition) error {
	return fromScard(k.h.EndTransaction(scard.Disposition(d)))
}

func (k sysCard) Reconnect(mode shareMode, proto protocol, d disposition) error {
	return fromScard(k.h.Reconnect(scard.ShareMode(mode), scard.Protocol(proto), scard.Disposition(d)))
}

func (k sysCard) Disconnect(d disposition) error {
	return fromScard(k.h.Disconnect(scard.Disposition(d)))
}

func (k sysCard) ActiveProtocol() protocol { return protocol(k.h.ActiveProtocol()) }
