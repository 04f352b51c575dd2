package main

import (
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/bench/internal/vtrace"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/pcsc"
)

// meter prints one row per counted step, from the trace lines the step
// added; uncounted steps only move the start of the next one.
type meter struct {
	p      profile
	trace  string
	pc     *pcsc.Context
	reader string
	pin    string
	cache  eid.CertCache
	conn   *pcsc.Card
	card   *eid.Card
}

func (m *meter) step(label string, fn func() error) error {
	start, err := size(m.trace)
	if err != nil {
		return err
	}
	if err := fn(); err != nil {
		return fmt.Errorf("%s: %w", label, err)
	}
	if label == "" {
		return nil
	}
	pairs, err := vtrace.Read(m.trace, start)
	if err != nil {
		return err
	}
	fmt.Println(m.p.row(label, pairs))
	return nil
}

// reconnect drops the connection (leaving the card as it is) and opens
// the card again, as the agent does for every request.
func (m *meter) reconnect() error {
	if m.conn != nil {
		m.conn.Close()
	}
	conn, err := m.pc.Connect(m.reader)
	if err != nil {
		return err
	}
	card, err := eid.Open(conn, eid.RecognizeATR(conn.ATR()))
	if err != nil {
		conn.Close()
		return err
	}
	m.conn, m.card = conn, card
	return nil
}

// sign makes a signer from the cache and signs once; CardSigner.Sign
// checks the signature against the certificate.
func (m *meter) sign(role eid.KeyRole) error {
	s, err := m.cache.Signer(m.card, role, func(eid.PINRequest) ([]byte, error) { return []byte(m.pin), nil })
	if err != nil {
		return err
	}
	w := m.p.hash.New()
	w.Write([]byte("signtable"))
	_, err = s.Sign(nil, w.Sum(nil), m.p.hash)
	return err
}

// logOff drops the PIN right behind the Card's back, so that the next
// authentication needs the PIN again.
func (m *meter) logOff() error {
	_, err := m.conn.Transmit(apdu.Command{CLA: 0x80, INS: 0xE6, Le: apdu.NoLe})
	return err
}

// measure runs the table's cases on a card whose PIN is not verified.
func measure(p profile, reader, trace, pin string) error {
	pc, err := pcsc.NewContext()
	if err != nil {
		return err
	}
	defer pc.Close()
	m := &meter{p: p, trace: trace, pc: pc, reader: reader, pin: pin}
	defer func() {
		if m.conn != nil {
			m.conn.Close()
		}
	}()
	auth := func() error { return m.sign(eid.KeyAuth) }
	nonrep := func() error { return m.sign(eid.KeySign) }
	steps := []struct {
		label string
		fn    func() error
	}{
		{"eid.Open (left out of the other rows, except whole processes)", m.reconnect},
		{"authentication, cold: certificate read, PIN asked", auth},
		{"authentication again on the same Card (PIN right held)", auth},
		{"", m.reconnect},
		{"authentication, warm: certificate cached, PIN verified earlier in the card session", auth},
		{"", func() error { return firstErr(m.logOff(), m.reconnect()) }},
		{"**authentication, warm: certificate cached, PIN asked**", auth},
		{"", func() error { return firstErr(m.logOff(), m.reconnect()) }},
		{"authentication, warm, the agent's way: PINStatus for its dialog, then the signature", func() error {
			if _, err := m.card.PINStatus(); err != nil {
				return err
			}
			return auth()
		}},
		{"", m.reconnect},
		{"non-repudiation, cold: certificate read", nonrep},
		{"non-repudiation, next signature of a batch (same Card)", nonrep},
		{"", m.reconnect},
		{"**non-repudiation, warm: certificate cached**", nonrep},
	}
	for _, s := range steps {
		if err := m.step(s.label, s.fn); err != nil {
			return err
		}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
