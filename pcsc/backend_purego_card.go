//go:build (linux || darwin) && (!cgo || pcsc_purego)

package pcsc

import (
	"sync/atomic"
	"unsafe"

	"github.com/ebitengine/purego"
)

// Receive buffer sizes: the largest answer SCardControl can describe
// (below both libraries' MAX_BUFFER_SIZE_EXTENDED, which both check), and
// room for a reader name in SCardStatus, retried if short. The response
// buffer of SCardTransmit is the ABI's recvMax.
const (
	maxControl = 0xFFFF
	maxReader  = 256
)

type pgCard struct {
	l      *library
	h      uintptr
	active atomic.Uint32 // negotiated protocol; Reconnect may change it
}

func (k *pgCard) ActiveProtocol() protocol { return protocol(k.active.Load()) }

func (k *pgCard) Transmit(cmd []byte) ([]byte, error) {
	send := k.l.abi.ioRequest(k.ActiveProtocol())
	recv := make([]byte, len(send))
	rsp := make([]byte, k.l.abi.recvMax)
	var n cell
	k.l.abi.putWord(n[:], uint64(len(rsp)))
	err := rc(purego.SyscallN(k.l.transmit, k.h, uintptr(bufPtr(send)), uintptr(bufPtr(cmd)), uintptr(len(cmd)),
		uintptr(bufPtr(recv)), uintptr(bufPtr(rsp)), uintptr(unsafe.Pointer(&n))))
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), rsp[:min(k.l.abi.getWord(n[:]), uint64(len(rsp)))]...), nil
}

func (k *pgCard) Control(ioctl uint32, in []byte) ([]byte, error) {
	out := make([]byte, maxControl)
	var n cell
	err := rc(purego.SyscallN(k.l.control, k.h, uintptr(ioctl), uintptr(bufPtr(in)), uintptr(len(in)),
		uintptr(bufPtr(out)), uintptr(len(out)), uintptr(unsafe.Pointer(&n))))
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), out[:min(k.l.abi.getWord(n[:]), uint64(len(out)))]...), nil
}

// Status reads the reader name, state, protocol and ATR, retrying once
// with the sizes the library asked for if a buffer was too small. The
// retry adds room for the multi-string's second NUL, which macOS 10.10
// left out of the size it reported. The reader name may end with a
// single NUL (macOS writes one); splitMultiString accepts both.
func (k *pgCard) Status() (*cardStatus, error) {
	a := k.l.abi
	reader, atr := make([]byte, maxReader), make([]byte, maxATR)
	for attempt := 0; ; attempt++ {
		var rlc, alc, state, proto cell
		a.putWord(rlc[:], uint64(len(reader)))
		a.putWord(alc[:], uint64(len(atr)))
		err := rc(purego.SyscallN(k.l.status, k.h, uintptr(bufPtr(reader)), uintptr(unsafe.Pointer(&rlc)),
			uintptr(unsafe.Pointer(&state)), uintptr(unsafe.Pointer(&proto)),
			uintptr(bufPtr(atr)), uintptr(unsafe.Pointer(&alc))))
		rl, al := a.getWord(rlc[:]), a.getWord(alc[:])
		if err == scErrInsufficientBuffer && attempt == 0 {
			reader, atr = make([]byte, max(rl+2, uint64(len(reader)))), make([]byte, max(al, uint64(len(atr))))
			continue
		}
		if err != nil {
			return nil, err
		}
		st := &cardStatus{State: cardState(a.getWord(state[:])), ActiveProtocol: protocol(a.getWord(proto[:]))}
		if names := splitMultiString(reader[:min(rl, uint64(len(reader)))]); len(names) > 0 {
			st.Reader = names[0]
		}
		st.Atr = append([]byte(nil), atr[:min(al, uint64(len(atr)))]...)
		return st, nil
	}
}

func (k *pgCard) BeginTransaction() error {
	return rc(purego.SyscallN(k.l.beginTransaction, k.h))
}

func (k *pgCard) EndTransaction(d disposition) error {
	return rc(purego.SyscallN(k.l.endTransaction, k.h, uintptr(d)))
}

func (k *pgCard) Reconnect(mode shareMode, proto protocol, d disposition) error {
	var active cell
	err := rc(purego.SyscallN(k.l.reconnect, k.h, uintptr(mode), uintptr(proto), uintptr(d),
		uintptr(unsafe.Pointer(&active))))
	if err == nil {
		k.active.Store(uint32(k.l.abi.getWord(active[:])))
	}
	return err
}

func (k *pgCard) Disconnect(d disposition) error {
	return rc(purego.SyscallN(k.l.disconnect, k.h, uintptr(d)))
}
