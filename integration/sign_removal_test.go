package integration

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/pcsc"
)

// pullAt is a virtual card that a hand pulls out of the reader when a
// chosen command reaches it: the card never processes that command, and
// the vpcd connection closes before any answer goes back, which pcscd
// sees as a card removed during the exchange.
type pullAt struct {
	*virtualcard.Card
	mu    sync.Mutex
	match func(cmd []byte) bool // nil: not armed
	pull  func()
	seen  []byte // INS of each command the card processed
}

func (p *pullAt) arm(match func([]byte) bool, pull func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.match, p.pull, p.seen = match, pull, nil
}

// Process answers like the card, except for the armed command.
func (p *pullAt) Process(cmd []byte) []byte {
	p.mu.Lock()
	hit := p.match != nil && len(cmd) >= 4 && p.match(cmd)
	pull := p.pull
	if hit {
		p.match = nil
	} else if len(cmd) >= 4 {
		p.seen = append(p.seen, cmd[1])
	}
	p.mu.Unlock()
	if hit {
		pull()
		// The connection closes (asynchronously) before this answer is
		// written, so it never reaches pcscd.
		time.Sleep(300 * time.Millisecond)
		return []byte{0x6F, 0x00}
	}
	return p.Card.Process(cmd)
}

func (p *pullAt) processed() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

func isINS(ins byte) func([]byte) bool { return func(cmd []byte) bool { return cmd[1] == ins } }

// TestSignCardRemoved pulls the card between VERIFY and PSO, and during
// the PSO's GET RESPONSE, through pcscd: the signature fails promptly with
// an error matching apdu.ErrCardRemoved, nothing is retried, no PIN try is
// lost, and after re-insertion a new connection signs.
func TestSignCardRemoved(t *testing.T) {
	needPCSC(t)
	pc := newContext(t)
	points := []struct {
		name   string
		at     func([]byte) bool
		before []byte // what the card processed before the pull, from MSE on
	}{
		{"between VERIFY and PSO", isINS(0x2A), []byte{0x22, 0x20}},
		{"during GET RESPONSE", isINS(0xC0), []byte{0x22, 0x20, 0x2A}},
	}
	for _, name := range []string{"citizen-1.7", "citizen-1.8"} {
		for _, role := range []eid.KeyRole{eid.KeyAuth, eid.KeySign} {
			for _, pt := range points {
				t.Run(fmt.Sprintf("%s/%v/%s", name, role, pt.name), func(t *testing.T) {
					pullAndSignAgain(t, pc, name, role, pt.at, pt.before)
				})
			}
		}
	}
}

func pullAndSignAgain(t *testing.T, pc *pcsc.Context, name string, role eid.KeyRole, at func([]byte) bool, before []byte) {
	content := loadFixture(t, name)
	vc := &pullAt{Card: virtualcard.New(content)}
	in := insert(t, pc, vc)
	_, card := openEID(t, pc)
	s, err := card.Signer(role, pin1234)
	if err != nil {
		t.Fatal(err)
	}
	h := signHash(card)
	vc.arm(at, in.pull)
	_, err = signWithin(s, h, hashOf(h, "pulled"), waitFor)
	var se *eid.SignError
	if !errors.Is(err, apdu.ErrCardRemoved) || !errors.As(err, &se) || !strings.HasPrefix(se.Step, "PSO") {
		t.Fatalf("got %v, want a PSO SignError wrapping apdu.ErrCardRemoved", err)
	}
	// The first signature sends the status query first, then MSE.
	if got := vc.processed(); !slices.Equal(got, append([]byte{0x20}, before...)) {
		t.Errorf("the card processed INS % X before the pull, want 20 % X", got, before)
	}
	in.remove(t, pc)
	if content.PINTries != virtualcard.MaxPINTries {
		t.Errorf("PIN counter %d after the pull, want %d: a try was lost", content.PINTries, virtualcard.MaxPINTries)
	}

	vc.arm(nil, nil)
	insert(t, pc, vc)
	_, card = openEID(t, pc)
	if s, err = card.Signer(role, pin1234); err != nil {
		t.Fatal(err)
	}
	digest := hashOf(h, "after re-insertion")
	sig, err := signWithin(s, h, digest, waitFor)
	if err != nil {
		t.Fatalf("signature after re-insertion: %v", err)
	}
	if err := verifySig(s, h, digest, sig); err != nil {
		t.Error(err)
	}
}
