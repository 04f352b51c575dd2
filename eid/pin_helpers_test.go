package eid_test

import (
	"bytes"
	"sync"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/apdu"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// cmdLog records every command a test's eid.Card tries to send, PIN
// redacted, including those that fail because the card was pulled.
type cmdLog struct {
	mu   sync.Mutex
	cmds [][]byte
}

func (l *cmdLog) wrap(raw apdu.RawTransmitter) apdu.RawTransmitter {
	return apdu.RawFunc(func(cmd []byte) ([]byte, error) {
		l.mu.Lock()
		l.cmds = append(l.cmds, apdu.Redact(cmd))
		l.mu.Unlock()
		return raw.TransmitRaw(cmd)
	})
}

func (l *cmdLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cmds = nil
}

func (l *cmdLog) all() [][]byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([][]byte(nil), l.cmds...)
}

// steps names each command: "status" for the empty VERIFY, "verify" for
// a VERIFY with a PIN, otherwise the instruction's short name.
func (l *cmdLog) steps() []string {
	names := map[byte]string{0xA4: "select", 0x22: "mse", 0x2A: "pso", 0xC0: "getresp",
		0x24: "change", 0xE4: "carddata", 0xB0: "read", 0xE6: "logoff"}
	var out []string
	for _, c := range l.all() {
		switch {
		case c[1] == 0x20 && len(c) == 4:
			out = append(out, "status")
		case c[1] == 0x20:
			out = append(out, "verify")
		case names[c[1]] != "":
			out = append(out, names[c[1]])
		default:
			out = append(out, "other")
		}
	}
	return out
}

// count returns how many logged commands have the step name.
func (l *cmdLog) count(step string) int {
	n := 0
	for _, s := range l.steps() {
		if s == step {
			n++
		}
	}
	return n
}

type pinCard struct {
	card    *eid.Card
	vc      *virtualcard.Card
	content *virtualcard.Content
	log     *cmdLog
}

// openPINCard opens a fixture over a command log, cleared after Open.
func openPINCard(t *testing.T, fixture string) *pinCard {
	t.Helper()
	vc, content := loadFixture(t, fixture)
	log := &cmdLog{}
	card, err := eid.Open(eid.OverRaw(log.wrap(vc)), eid.RecognizeATR(vc.ATR()))
	if err != nil {
		t.Fatalf("Open %s: %v", fixture, err)
	}
	log.reset()
	return &pinCard{card: card, vc: vc, content: content, log: log}
}

// prompter answers PIN requests with a fixed PIN and remembers both the
// requests and the buffers it handed out, to check they were wiped.
type prompter struct {
	pins [][]byte // answers in turn; the last one repeats
	reqs []eid.PINRequest
	bufs [][]byte
}

func promptPINs(pins ...string) *prompter {
	p := &prompter{}
	for _, s := range pins {
		p.pins = append(p.pins, []byte(s))
	}
	return p
}

func (p *prompter) prompt(req eid.PINRequest) ([]byte, error) {
	i := min(len(p.reqs), len(p.pins)-1)
	p.reqs = append(p.reqs, req)
	buf := bytes.Clone(p.pins[i])
	p.bufs = append(p.bufs, buf)
	return buf, nil
}

// checkWiped fails unless every buffer the prompt handed out is zeroed.
func (p *prompter) checkWiped(t *testing.T) {
	t.Helper()
	for i, b := range p.bufs {
		if !bytes.Equal(b, make([]byte, len(b))) {
			t.Errorf("PIN buffer %d returned by the prompt was not wiped", i)
		}
	}
}

func pinFixtures() []string { return []string{"citizen-1.7", "citizen-1.8"} }
