package pcsc

import (
	"fmt"
	"sync"
)

// fakeCard records the calls made on a handle; script answers commands.
type fakeCard struct {
	ctx    *fakeCtx
	reader string
	atr    []byte
	proto  protocol
	script func(cmd []byte) ([]byte, error)
	// control answers SCardControl; nil: the reader supports none.
	control func(ioctl uint32, in []byte) ([]byte, error)

	mu          sync.Mutex
	calls       []string
	resetNext   bool  // another application reset the card
	absent      bool  // Status reports the card absent
	endErr      error // EndTransaction fails with this
	statusErr   error // Status fails with this
	absentAfter int   // Status reports the card absent after this many calls
	statusN     int
}

func (k *fakeCard) record(call string) error {
	k.ctx.svc.mu.Lock()
	dead := k.ctx.dead()
	k.ctx.svc.mu.Unlock()
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, call)
	if dead != nil {
		return dead
	}
	if k.resetNext && call != "reconnect" {
		return scErrResetCard
	}
	return nil
}

func (k *fakeCard) log() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.calls...)
}

func (k *fakeCard) Transmit(cmd []byte) ([]byte, error) {
	if err := k.record(fmt.Sprintf("tx %X", cmd)); err != nil {
		return nil, err
	}
	return k.script(cmd)
}

func (k *fakeCard) BeginTransaction() error { return k.record("begin") }

func (k *fakeCard) EndTransaction(disposition) error {
	if err := k.record("end"); err != nil {
		return err
	}
	return k.endErr
}

func (k *fakeCard) Status() (*cardStatus, error) {
	if err := k.record("status"); err != nil {
		return nil, err
	}
	if k.statusErr != nil {
		return nil, k.statusErr
	}
	st := &cardStatus{Reader: k.reader, State: statusSpecific, Atr: k.atr, ActiveProtocol: k.proto}
	k.statusN++
	if k.absent || k.absentAfter > 0 && k.statusN >= k.absentAfter+1 {
		st.State = statusAbsent
	}
	return st, nil
}

func (k *fakeCard) Reconnect(shareMode, protocol, disposition) error {
	if err := k.record("reconnect"); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.resetNext = false
	return nil
}

func (k *fakeCard) Disconnect(disposition) error { return k.record("disconnect") }

func (k *fakeCard) ActiveProtocol() protocol { return k.proto }

func (k *fakeCard) Control(ioctl uint32, in []byte) ([]byte, error) {
	if err := k.record(fmt.Sprintf("ctl %08X %X", ioctl, in)); err != nil {
		return nil, err
	}
	if k.control == nil {
		return nil, scErrUnsupportedFeature
	}
	return k.control(ioctl, in)
}
