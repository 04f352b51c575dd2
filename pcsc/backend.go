package pcsc

import (
	"time"

	"github.com/ebfe/scard"
)

// scContext is the part of a PC/SC context this package uses. The real one
// is scard's; unit tests substitute a fake so that recovery and the watcher
// loop can be tested without pcscd.
type scContext interface {
	ListReaders() ([]string, error)
	Connect(reader string, mode scard.ShareMode, proto scard.Protocol) (scCard, error)
	GetStatusChange(states []scard.ReaderState, timeout time.Duration) error
	Cancel() error
	Release() error
}

// scCard is the part of a PC/SC card handle this package uses.
type scCard interface {
	Transmit(cmd []byte) ([]byte, error)
	BeginTransaction() error
	EndTransaction(d scard.Disposition) error
	Status() (*scard.CardStatus, error)
	Reconnect(mode scard.ShareMode, proto scard.Protocol, d scard.Disposition) error
	Disconnect(d scard.Disposition) error
	ActiveProtocol() scard.Protocol
	Control(ioctl uint32, in []byte) ([]byte, error) // SCardControl: reader features, PIN pad
}

// establishFunc opens a PC/SC context.
type establishFunc func() (scContext, error)

// establishSystem opens a context on the system's PC/SC service.
func establishSystem() (scContext, error) {
	c, err := scard.EstablishContext()
	if err != nil {
		return nil, err
	}
	return sysContext{c}, nil
}

// sysContext adapts *scard.Context (its Connect returns a concrete type).
type sysContext struct{ *scard.Context }

func (c sysContext) Connect(reader string, mode scard.ShareMode, proto scard.Protocol) (scCard, error) {
	h, err := c.Context.Connect(reader, mode, proto)
	if err != nil {
		return nil, err
	}
	return h, nil
}
