package pcsc

import "time"

// scContext is the part of a PC/SC context this package uses. The build
// selects the real one (backend_scard.go or backend_purego.go); unit tests
// substitute a fake so that recovery and the watcher loop can be tested
// without pcscd.
type scContext interface {
	ListReaders() ([]string, error)
	Connect(reader string, mode shareMode, proto protocol) (scCard, error)
	GetStatusChange(states []readerState, timeout time.Duration) error
	Cancel() error
	Release() error
}

// scCard is the part of a PC/SC card handle this package uses. Failures
// are scError values whatever the backend.
type scCard interface {
	Transmit(cmd []byte) ([]byte, error)
	BeginTransaction() error
	EndTransaction(d disposition) error
	Status() (*cardStatus, error)
	Reconnect(mode shareMode, proto protocol, d disposition) error
	Disconnect(d disposition) error
	ActiveProtocol() protocol
	Control(ioctl uint32, in []byte) ([]byte, error) // SCardControl: reader features, PIN pad
}

// establishFunc opens a PC/SC context. The default, establishSystem, is
// defined by the selected backend.
type establishFunc func() (scContext, error)
