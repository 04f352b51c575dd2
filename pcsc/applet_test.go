package pcsc

import (
	"sync"

	"github.com/eidbridge/eidbridge/apdu"
)

// beid18ATR is the ATR of a Belgian eID with applet 1.8 (T=0 only).
var beid18ATR = []byte{0x3B, 0x7F, 0x96, 0x00, 0x00, 0x80, 0x31, 0x80, 0x65, 0xB0,
	0x85, 0x04, 0x01, 0x20, 0x12, 0x0F, 0xFF, 0x82, 0x90, 0x00}

// Commands of the test applet. It is a vpcd.Card for the integration
// tests and a script for the fake card of the unit tests.
const (
	insSelect  = 0xA4 // 9000
	insRead    = 0xB0 // 6C20 unless Le = 0x20, then 32 bytes
	insChained = 0xCA // 300 bytes through 61xx and GET RESPONSE
	insVerify  = 0x20 // 9000 (used to see the tracer redact the PIN)
	insHang    = 0x01 // answers 9000 once release is closed
)

const chainedLen = 300

// testApplet answers a fixed set of commands and logs what it received.
type testApplet struct {
	mu      sync.Mutex
	got     [][]byte
	pending []byte // data left for GET RESPONSE
	hang    chan struct{}
	hung    chan struct{} // closed when an insHang command arrives
}

func newTestApplet() *testApplet {
	return &testApplet{hang: make(chan struct{}), hung: make(chan struct{})}
}

func (a *testApplet) ATR() []byte { return beid18ATR }
func (a *testApplet) PowerOn()    {}
func (a *testApplet) PowerOff()   {}
func (a *testApplet) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending = nil
}

// commands returns the commands received so far.
func (a *testApplet) commands() [][]byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([][]byte(nil), a.got...)
}

func (a *testApplet) Process(cmd []byte) []byte {
	a.mu.Lock()
	a.got = append(a.got, append([]byte(nil), cmd...))
	a.mu.Unlock()
	if len(cmd) >= 2 && cmd[1] == insHang {
		close(a.hung)
		<-a.hang
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.answer(cmd).Bytes()
}

func (a *testApplet) answer(raw []byte) apdu.Response {
	cmd, err := apdu.ParseCommand(raw)
	if err != nil {
		return apdu.Response{SW: apdu.WrongLength}
	}
	switch cmd.INS {
	case insSelect, insVerify, insHang:
		return apdu.Response{SW: apdu.OK}
	case insRead:
		if cmd.Le != 0x20 {
			return apdu.Response{SW: 0x6C20}
		}
		return apdu.Response{Data: pattern(0x20, 0x40), SW: apdu.OK}
	case insChained:
		a.pending = pattern(chainedLen, 0)
		return apdu.Response{SW: 0x61FF}
	case 0xC0:
		return a.getResponse(cmd.Le)
	}
	return apdu.Response{SW: apdu.INSNotSupported}
}

func (a *testApplet) getResponse(le int) apdu.Response {
	switch {
	case len(a.pending) == 0:
		return apdu.Response{SW: apdu.ConditionsNotMet}
	case le == apdu.NoLe || le > len(a.pending):
		return apdu.Response{SW: 0x6C00 | apdu.Status(min(len(a.pending), 0xFF))}
	}
	data := a.pending[:le]
	a.pending = a.pending[le:]
	if n := len(a.pending); n > 0 {
		return apdu.Response{Data: data, SW: 0x6100 | apdu.Status(min(n, 0xFF))}
	}
	return apdu.Response{Data: data, SW: apdu.OK}
}

// pattern returns n bytes counting up from first.
func pattern(n int, first byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = first + byte(i)
	}
	return b
}
