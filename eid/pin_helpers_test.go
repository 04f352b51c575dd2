package eid_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"math/big"
	"sync"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
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
	certs   map[eid.KeyRole]*x509.Certificate // as read from the card
}

// openPINCard opens a fixture over a command log, cleared after Open.
func openPINCard(t *testing.T, fixture string) *pinCard {
	t.Helper()
	return openPINCardVia(t, fixture, nil, nil)
}

// openPINCardVia is openPINCard with the fixture's content changed by
// edit and the card seen through wrap (each may be nil).
func openPINCardVia(t *testing.T, fixture string, edit func(*virtualcard.Content), wrap func(apdu.RawTransmitter) apdu.RawTransmitter) *pinCard {
	t.Helper()
	vc, content := loadFixture(t, fixture)
	if edit != nil {
		edit(content)
	}
	var raw apdu.RawTransmitter = vc
	if wrap != nil {
		raw = wrap(vc)
	}
	log := &cmdLog{}
	card, err := eid.Open(eid.OverRaw(log.wrap(raw)), eid.RecognizeATR(vc.ATR()))
	if err != nil {
		t.Fatalf("Open %s: %v", fixture, err)
	}
	return newPINCard(t, card, vc, content, log)
}

// newPINCard reads the user certificates from the card, for checking
// signatures, then clears the log.
func newPINCard(t *testing.T, card *eid.Card, vc *virtualcard.Card, content *virtualcard.Content, log *cmdLog) *pinCard {
	t.Helper()
	pc := &pinCard{card: card, vc: vc, content: content, log: log, certs: map[eid.KeyRole]*x509.Certificate{}}
	for role, f := range map[eid.KeyRole]eid.FileID{eid.KeyAuth: eid.FileAuthCert, eid.KeySign: eid.FileSignCert} {
		b, err := card.ReadFile(f)
		if err != nil {
			t.Fatalf("reading the %s: %v", f.Name, err)
		}
		if cert, err := eid.ParseCertificateFile(b); err == nil {
			pc.certs[role] = cert
		}
	}
	log.reset()
	return pc
}

// checkSig verifies with the standard library a signature the Card
// returned (raw r‖s from Card.Sign on applet 1.8, DER from a CardSigner)
// against the role's certificate read from the card.
func (pc *pinCard) checkSig(t *testing.T, role eid.KeyRole, opts crypto.SignerOpts, digest, sig []byte, rawEC bool) {
	t.Helper()
	cert := pc.certs[role]
	if cert == nil {
		t.Fatalf("the card has no %v certificate to check the signature with", role)
	}
	if k, ok := cert.PublicKey.(*ecdsa.PublicKey); ok && rawEC {
		n := len(sig) / 2
		if !ecdsa.Verify(k, digest, new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])) {
			t.Errorf("%v: raw ECDSA signature does not verify with the card's certificate", role)
		}
		return
	}
	if err := verifyWith(cert.PublicKey, opts, digest, sig); err != nil {
		t.Errorf("%v: %v", role, err)
	}
}

// signed clears the log, signs the digest of msg with Card.Sign, checks
// the raw signature and returns the commands sent; an error ends the
// test, prefixed with what.
func (pc *pinCard) signed(t *testing.T, what string, role eid.KeyRole, h crypto.Hash, msg string, prompt eid.PINPrompt) []string {
	t.Helper()
	pc.log.reset()
	digest := digestOf(h, msg)
	sig, err := pc.card.Sign(role, h, digest, prompt)
	if err != nil {
		t.Fatalf("%s: Sign: %v", what, err)
	}
	pc.checkSig(t, role, h, digest, sig, true)
	return pc.log.steps()
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
