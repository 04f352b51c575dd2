//go:build (linux || darwin) && (!cgo || pcsc_purego)

package pcsc

import (
	"fmt"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/ebitengine/purego"
)

// The purego backend calls the PC/SC library without cgo, so that a macOS
// binary can be cross-built. The pcsc_purego tag also selects it on
// Linux, where it is tested against pcsc-lite.

// library holds the PC/SC entry points and the layout of their structures.
type library struct {
	abi cABI

	establishContext, releaseContext, listReaders, getStatusChange, cancel uintptr
	connect, reconnect, disconnect, beginTransaction, endTransaction       uintptr
	status, transmit, control                                              uintptr
}

var (
	libMu sync.Mutex
	libOK *library // loaded once it worked; a failure is retried next time
)

// platformLibrary names the library, the symbol of the SCardControl we
// call (macOS keeps the pre-1.3.2 pcsc-lite signature, without a control
// code, under SCardControl and exports the current one as
// SCardControl132) and the library's layout.
func platformLibrary() (path, control string, abi cABI) {
	if runtime.GOOS == "darwin" {
		return "/System/Library/Frameworks/PCSC.framework/PCSC", "SCardControl132", appleABI
	}
	return "libpcsclite.so.1", "SCardControl", pcscLiteABI(int(unsafe.Sizeof(uintptr(0))))
}

// libraryError: the PC/SC library is missing, so for callers there is no
// PC/SC service (errors.Is(err, ErrNoService)).
type libraryError struct {
	path string
	err  error
}

func (e *libraryError) Error() string {
	hint := ""
	if runtime.GOOS == "linux" {
		hint = " (install pcsc-lite)"
	}
	return fmt.Sprintf("cannot load the PC/SC library %s%s: %v", e.path, hint, e.err)
}

func (e *libraryError) Unwrap() []error { return []error{ErrNoService, e.err} }

// loadLibrary opens the library on first use, so that a process that
// never touches a card does not need it.
func loadLibrary() (*library, error) {
	libMu.Lock()
	defer libMu.Unlock()
	if libOK != nil {
		return libOK, nil
	}
	l, err := openLibrary(platformLibrary())
	if err == nil {
		libOK = l
	}
	return l, err
}

// openLibrary loads path and resolves the entry points.
func openLibrary(path, control string, abi cABI) (*library, error) {
	h, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return nil, &libraryError{path: path, err: err}
	}
	l := &library{abi: abi}
	for _, s := range []struct {
		name string
		fn   *uintptr
	}{
		{"SCardEstablishContext", &l.establishContext}, {"SCardReleaseContext", &l.releaseContext},
		{"SCardListReaders", &l.listReaders}, {"SCardGetStatusChange", &l.getStatusChange},
		{"SCardCancel", &l.cancel}, {"SCardConnect", &l.connect}, {"SCardReconnect", &l.reconnect},
		{"SCardDisconnect", &l.disconnect}, {"SCardBeginTransaction", &l.beginTransaction},
		{"SCardEndTransaction", &l.endTransaction}, {"SCardStatus", &l.status},
		{"SCardTransmit", &l.transmit}, {control, &l.control},
	} {
		if *s.fn, err = purego.Dlsym(h, s.name); err != nil {
			_ = purego.Dlclose(h)
			return nil, fmt.Errorf("PC/SC library %s lacks %s: %w", path, s.name, err)
		}
	}
	return l, nil
}

// rc turns a LONG return code into an error. Only its low 32 bits count:
// macOS returns an int32, pcsc-lite a long holding the same code.
func rc(r1, _, _ uintptr) error {
	if code := scError(uint32(r1)); code != scErrSuccess {
		return code
	}
	return nil
}

// bufPtr is the address of b's data, or NULL for an empty b.
func bufPtr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

// Out-parameters (DWORD, SCARDCONTEXT, SCARDHANDLE) go through a cell,
// read and written with the library's widths. The uintptr conversions
// stay inside the SyscallN calls, which keeps their targets alive and in
// place during the call.
//
// Arguments travel in 64-bit registers (purego puts a seventh one on the
// stack in an 8-byte slot on x86-64). A 32-bit parameter (macOS's DWORD,
// SCARDCONTEXT, SCARDHANDLE) is read by the callee from the low half
// only: the x86-64 SysV and arm64 ABIs, Apple's included, leave the upper
// half unspecified for 32-bit values. So a handle read back zero-extended
// from its 4-byte cell is passed back as is; sign does not matter.

// scopeSystem is SCARD_SCOPE_SYSTEM.
const scopeSystem = 2

// establishSystem opens a context on the system's PC/SC service.
func establishSystem() (scContext, error) {
	l, err := loadLibrary()
	if err != nil {
		return nil, err
	}
	var h cell
	if err := rc(purego.SyscallN(l.establishContext, scopeSystem, 0, 0, uintptr(unsafe.Pointer(&h)))); err != nil {
		return nil, err
	}
	return pgContext{l: l, h: uintptr(l.abi.getHandle(h[:]))}, nil
}

type pgContext struct {
	l *library
	h uintptr
}

// ListReaders asks for the size, then the names; a reader plugged in
// between makes the buffer too small, so that is retried.
func (c pgContext) ListReaders() ([]string, error) {
	a := c.l.abi
	for range 3 {
		var n cell
		if err := rc(purego.SyscallN(c.l.listReaders, c.h, 0, 0, uintptr(unsafe.Pointer(&n)))); err != nil {
			return nil, err
		}
		buf := make([]byte, max(a.getWord(n[:]), 1))
		a.putWord(n[:], uint64(len(buf)))
		err := rc(purego.SyscallN(c.l.listReaders, c.h, 0, uintptr(bufPtr(buf)), uintptr(unsafe.Pointer(&n))))
		switch {
		case err == scErrInsufficientBuffer:
			continue
		case err != nil:
			return nil, err
		}
		return splitMultiString(buf[:min(a.getWord(n[:]), uint64(len(buf)))]), nil
	}
	return nil, scErrInsufficientBuffer
}

// GetStatusChange may block in C for hours; Cancel, called from another
// goroutine, ends it. The reader names it points to are pinned meanwhile.
func (c pgContext) GetStatusChange(states []readerState, timeout time.Duration) error {
	cs := c.l.abi.encodeStates(states)
	var pin runtime.Pinner
	defer pin.Unpin()
	for _, n := range cs.names {
		pin.Pin(&n[0])
	}
	err := rc(purego.SyscallN(c.l.getStatusChange, c.h, uintptr(timeoutMillis(timeout)),
		uintptr(bufPtr(cs.buf)), uintptr(len(states))))
	runtime.KeepAlive(cs)
	if err != nil {
		return err
	}
	c.l.abi.decodeStates(states, cs.buf)
	return nil
}

func (c pgContext) Connect(reader string, mode shareMode, proto protocol) (scCard, error) {
	name := append([]byte(reader), 0)
	var h, active cell
	err := rc(purego.SyscallN(c.l.connect, c.h, uintptr(bufPtr(name)), uintptr(mode), uintptr(proto),
		uintptr(unsafe.Pointer(&h)), uintptr(unsafe.Pointer(&active))))
	if err != nil {
		return nil, err
	}
	k := &pgCard{l: c.l, h: uintptr(c.l.abi.getHandle(h[:]))}
	k.active.Store(uint32(c.l.abi.getWord(active[:])))
	return k, nil
}

func (c pgContext) Cancel() error  { return rc(purego.SyscallN(c.l.cancel, c.h)) }
func (c pgContext) Release() error { return rc(purego.SyscallN(c.l.releaseContext, c.h)) }
