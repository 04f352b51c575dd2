package pcsc

import (
	"encoding/binary"
	"time"
	"unsafe"
)

// cABI is how a platform's PC/SC library lays out the structures that the
// purego backend builds by hand. It is a value rather than a set of build
// tags so that every layout is unit-tested on any machine.
type cABI struct {
	name    string
	word    int // sizeof DWORD and LONG
	handle  int // sizeof SCARDCONTEXT and SCARDHANDLE
	ptr     int // sizeof a pointer
	align   int // alignment of SCARD_READERSTATE; 1 under #pragma pack(1)
	recvMax int // MAX_BUFFER_SIZE_EXTENDED: SCardTransmit refuses a larger *pcbRecvLength
}

// appleABI is macOS's PCSC framework (PCSC.framework/Headers: wintypes.h,
// pcsclite.h, winscard.h; the same headers serve x86_64 and arm64).
// DWORD and LONG are uint32_t and int32_t, SCARDCONTEXT and SCARDHANDLE
// int32_t, and pcsclite.h sets #pragma pack(1) whenever __APPLE__ is
// defined, so SCARD_READERSTATE is 61 bytes on both architectures. Its
// MAX_BUFFER_SIZE_EXTENDED lacks pcsc-lite's 2 status bytes (65546), and
// its SCardTransmit answers SCARD_E_INSUFFICIENT_BUFFER above that.
var appleABI = cABI{name: "macOS", word: 4, handle: 4, ptr: 8, align: 1, recvMax: 4 + 3 + 1<<16 + 3}

// pcscLiteABI is pcsc-lite's: DWORD is unsigned long and the handles
// long, as wide as a pointer on Linux, and structures have natural
// alignment (80 bytes for SCARD_READERSTATE on 64-bit).
func pcscLiteABI(ptr int) cABI {
	return cABI{name: "pcsc-lite", word: ptr, handle: ptr, ptr: ptr, align: ptr, recvMax: 4 + 3 + 1<<16 + 3 + 2}
}

// Offsets in SCARD_READERSTATE {szReader, pvUserData, dwCurrentState,
// dwEventState, cbAtr, rgbAtr[33]}.
func (a cABI) currentOff() int { return 2 * a.ptr }
func (a cABI) eventOff() int   { return 2*a.ptr + a.word }
func (a cABI) cbATROff() int   { return 2*a.ptr + 2*a.word }
func (a cABI) atrOff() int     { return 2*a.ptr + 3*a.word }

// readerStateSize is sizeof(SCARD_READERSTATE), trailing padding included.
func (a cABI) readerStateSize() int {
	n := a.atrOff() + maxATR
	return (n + a.align - 1) / a.align * a.align
}

// ioRequestSize is sizeof(SCARD_IO_REQUEST) {dwProtocol, cbPciLength}.
func (a cABI) ioRequestSize() int { return 2 * a.word }

// cell holds one out-parameter (DWORD or handle) of either width.
type cell [8]byte

func (a cABI) putWord(b []byte, v uint64) { putN(b, a.word, v) }
func (a cABI) getWord(b []byte) uint64    { return getN(b, a.word) }
func (a cABI) getHandle(b []byte) uint64  { return getN(b, a.handle) }
func (a cABI) putPtr(b []byte, p uintptr) { putN(b, a.ptr, uint64(p)) }

// putN and getN store an n-byte (4 or 8) integer in native byte order.
func putN(b []byte, n int, v uint64) {
	if n == 4 {
		binary.NativeEndian.PutUint32(b, uint32(v))
		return
	}
	binary.NativeEndian.PutUint64(b, v)
}

func getN(b []byte, n int) uint64 {
	if n == 4 {
		return uint64(binary.NativeEndian.Uint32(b))
	}
	return binary.NativeEndian.Uint64(b)
}

// ioRequest builds the SCARD_IO_REQUEST header for proto.
func (a cABI) ioRequest(proto protocol) []byte {
	b := make([]byte, a.ioRequestSize())
	a.putWord(b, uint64(proto))
	a.putWord(b[a.word:], uint64(len(b)))
	return b
}

// cStates is a SCARD_READERSTATE array in C layout. Its entries point
// into names, which must stay alive and pinned while C uses buf.
type cStates struct {
	buf   []byte
	names [][]byte // NUL-terminated reader names
}

// encodeStates lays out states for SCardGetStatusChange: the reader name,
// the current state and the ATR known so far.
func (a cABI) encodeStates(states []readerState) *cStates {
	size := a.readerStateSize()
	cs := &cStates{buf: make([]byte, size*len(states)), names: make([][]byte, len(states))}
	for i, st := range states {
		cs.names[i] = append([]byte(st.Reader), 0)
		e := cs.buf[i*size : (i+1)*size]
		a.putPtr(e, uintptr(unsafe.Pointer(&cs.names[i][0])))
		a.putWord(e[a.currentOff():], uint64(st.CurrentState))
		n := min(len(st.Atr), maxATR)
		a.putWord(e[a.cbATROff():], uint64(n))
		copy(e[a.atrOff():], st.Atr[:n])
	}
	return cs
}

// decodeStates reads back what SCardGetStatusChange set: the event state
// and, when the reader reported one, the ATR (an empty one keeps the
// previous ATR, as the scard backend does).
func (a cABI) decodeStates(states []readerState, buf []byte) {
	size := a.readerStateSize()
	for i := range states {
		e := buf[i*size : (i+1)*size]
		states[i].EventState = stateFlag(a.getWord(e[a.eventOff():]))
		if n := min(a.getWord(e[a.cbATROff():]), maxATR); n > 0 {
			states[i].Atr = append([]byte(nil), e[a.atrOff():a.atrOff()+int(n)]...)
		}
	}
}

// splitMultiString splits a PC/SC multi-string ("a\0b\0\0") into its
// strings.
func splitMultiString(b []byte) []string {
	var out []string
	for len(b) > 0 && b[0] != 0 {
		end := 0
		for end < len(b) && b[end] != 0 {
			end++
		}
		out = append(out, string(b[:end]))
		b = b[min(end+1, len(b)):]
	}
	return out
}

// timeoutMillis is a GetStatusChange timeout as a DWORD of milliseconds;
// a negative one waits forever.
func timeoutMillis(d time.Duration) uint32 {
	switch {
	case d < 0:
		return infinite
	case d >= time.Duration(infinite)*time.Millisecond:
		return infinite - 1
	}
	return uint32(d / time.Millisecond)
}
