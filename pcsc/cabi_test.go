package pcsc

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

// The expected layouts come from the C headers, not from cABI: macOS
// packs SCARD_READERSTATE with 32-bit DWORDs on x86_64 and arm64 alike
// (PCSC.framework's pcsclite.h: #pragma pack(1) under __APPLE__); 64-bit
// pcsc-lite has 64-bit DWORDs and natural alignment (checked with
// sizeof/offsetof against /usr/include/PCSC/pcsclite.h). recvMax is each
// header's MAX_BUFFER_SIZE_EXTENDED: Apple's 4+3+65536+3, pcsc-lite's
// adds 2 for the status word.
var abiLayouts = []struct {
	abi                          cABI
	size, cur, ev, cb, atr, io   int
	wordBytes, handleBytes, pads int
	recvMax                      int
}{
	{appleABI, 61, 16, 20, 24, 28, 8, 4, 4, 0, 65546},
	{pcscLiteABI(8), 80, 16, 24, 32, 40, 16, 8, 8, 7, 65548},
	{pcscLiteABI(4), 56, 8, 12, 16, 20, 8, 4, 4, 3, 65548}, // 32-bit Linux
}

// native reads an n-byte integer as the C library would store it.
func native(b []byte, n int) uint64 {
	if n == 4 {
		return uint64(binary.NativeEndian.Uint32(b))
	}
	return binary.NativeEndian.Uint64(b)
}

func TestABILayout(t *testing.T) {
	for _, l := range abiLayouts {
		a := l.abi
		got := []int{a.readerStateSize(), a.currentOff(), a.eventOff(), a.cbATROff(), a.atrOff(), a.ioRequestSize()}
		want := []int{l.size, l.cur, l.ev, l.cb, l.atr, l.io}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s/%d: size, offsets, io request = %v, want %v", a.name, a.ptr, got, want)
		}
		if l.atr+maxATR+l.pads != l.size {
			t.Errorf("%s/%d: table inconsistent", a.name, a.ptr)
		}
		// SCardTransmit refuses a receive length above the header's
		// limit, and the buffer must still hold a 64K answer and its SW.
		if a.recvMax != l.recvMax || a.recvMax < 1<<16+2 {
			t.Errorf("%s/%d: receive buffer %d, want %d (MAX_BUFFER_SIZE_EXTENDED)", a.name, a.ptr, a.recvMax, l.recvMax)
		}
	}
}

func TestABIEncodeStates(t *testing.T) {
	atr := []byte{0x3B, 0x98, 0x13, 0x40}
	states := []readerState{
		{Reader: `\\?PnP?\Notification`, CurrentState: 5 << 16},
		{Reader: "Reader B", CurrentState: statePresent | 9<<16, Atr: atr},
	}
	for _, l := range abiLayouts[:2] { // 64-bit pointers, like this test binary
		cs := l.abi.encodeStates(states)
		if len(cs.buf) != 2*l.size {
			t.Fatalf("%s: buffer is %d bytes, want %d", l.abi.name, len(cs.buf), 2*l.size)
		}
		for i, st := range states {
			e := cs.buf[i*l.size : (i+1)*l.size]
			p := uintptr(native(e, 8))
			if p != uintptr(unsafe.Pointer(&cs.names[i][0])) || string(cs.names[i]) != st.Reader+"\x00" {
				t.Errorf("%s #%d: szReader does not point to the NUL-terminated name", l.abi.name, i)
			}
			if native(e[8:], 8) != 0 {
				t.Errorf("%s #%d: pvUserData is not NULL", l.abi.name, i)
			}
			if got := native(e[l.cur:], l.wordBytes); got != uint64(st.CurrentState) {
				t.Errorf("%s #%d: dwCurrentState = %#x, want %#x", l.abi.name, i, got, uint32(st.CurrentState))
			}
			if got := native(e[l.cb:], l.wordBytes); got != uint64(len(st.Atr)) {
				t.Errorf("%s #%d: cbAtr = %d, want %d", l.abi.name, i, got, len(st.Atr))
			}
			if !bytes.Equal(e[l.atr:l.atr+len(st.Atr)], st.Atr) {
				t.Errorf("%s #%d: rgbAtr = % X, want % X", l.abi.name, i, e[l.atr:l.atr+len(st.Atr)], st.Atr)
			}
		}
	}
}

// TestABIDecodeStates plays the library: it writes event states and an
// ATR at the header's offsets and checks they are read back.
func TestABIDecodeStates(t *testing.T) {
	atr := bytes.Repeat([]byte{0xA5}, maxATR)
	for _, l := range abiLayouts {
		states := []readerState{{Reader: "a", Atr: []byte{1}}, {Reader: "b"}}
		buf := make([]byte, 2*l.size)
		put := func(b []byte, v uint64) {
			if l.wordBytes == 4 {
				binary.NativeEndian.PutUint32(b, uint32(v))
			} else {
				binary.NativeEndian.PutUint64(b, v)
			}
		}
		put(buf[l.ev:], uint64(stateEmpty|stateChanged|3<<16))
		second := buf[l.size:]
		put(second[l.ev:], uint64(statePresent|stateChanged|4<<16))
		put(second[l.cb:], maxATR)
		copy(second[l.atr:], atr)
		l.abi.decodeStates(states, buf)
		want := []readerState{
			{Reader: "a", EventState: stateEmpty | stateChanged | 3<<16, Atr: []byte{1}}, // no new ATR: kept
			{Reader: "b", EventState: statePresent | stateChanged | 4<<16, Atr: atr},
		}
		if !reflect.DeepEqual(states, want) {
			t.Errorf("%s/%d: decoded %+v, want %+v", l.abi.name, l.abi.ptr, states, want)
		}
	}
}

func TestABIIORequestAndCells(t *testing.T) {
	for _, l := range abiLayouts {
		b := l.abi.ioRequest(protocolT1)
		if len(b) != l.io || native(b, l.wordBytes) != uint64(protocolT1) || native(b[l.wordBytes:], l.wordBytes) != uint64(l.io) {
			t.Errorf("%s/%d: SCARD_IO_REQUEST = % X", l.abi.name, l.abi.ptr, b)
		}
		// A library writing a handle writes only its own width.
		var c cell
		for i := range c {
			c[i] = 0xEE
		}
		if l.handleBytes == 4 {
			binary.NativeEndian.PutUint32(c[:], 0x8765_4321)
		} else {
			binary.NativeEndian.PutUint64(c[:], 0x8765_4321)
		}
		if got := l.abi.getHandle(c[:]); got != 0x8765_4321 {
			t.Errorf("%s/%d: handle read as %#x", l.abi.name, l.abi.ptr, got)
		}
	}
}

func TestSplitMultiString(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"A 00\x00B 01\x00\x00", []string{"A 00", "B 01"}},
		{"only\x00\x00", []string{"only"}},
		{"single\x00", []string{"single"}}, // macOS SCardStatus: one NUL
		{"\x00", nil},
		{"", nil},
		{"cut", []string{"cut"}}, // no terminator: a truncated answer
	}
	for _, tt := range tests {
		if got := splitMultiString([]byte(tt.in)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitMultiString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTimeoutMillis(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want uint32
	}{
		{-1, infinite}, {0, 0}, {1500 * time.Millisecond, 1500}, {2000 * time.Hour, infinite - 1},
	}
	for _, tt := range tests {
		if got := timeoutMillis(tt.d); got != tt.want {
			t.Errorf("timeoutMillis(%v) = %#x, want %#x", tt.d, got, tt.want)
		}
	}
}
