package integration

import (
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// BenchmarkFullRead measures one eID read as `card read` does it: GET
// CARD DATA (eid.Open) and every file of Card.FullRead. It reports what
// reached the card, counted by the card itself: apdus/op and
// apdu-bytes/op (command plus response bytes, status words included).
// "in-process" talks to the virtual card directly; "pcscd" goes through
// pcscd and vpcd (needs EIDBRIDGE_PCSC_TESTS=1), where the time per op is
// what a user waits for.
func BenchmarkFullRead(b *testing.B) {
	for _, name := range readFixtures {
		b.Run("in-process/"+name, func(b *testing.B) {
			vc := virtualcard.New(loadFixture(b, name))
			benchRead(b, vc, eid.OverRaw(vc), vc.ATR())
		})
	}
	for _, name := range readFixtures {
		b.Run("pcscd/"+name, func(b *testing.B) {
			needPCSC(b)
			pc := newContext(b)
			vc := virtualcard.New(loadFixture(b, name))
			insert(b, pc, vc)
			conn, err := pc.Connect(testReader)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			benchRead(b, vc, conn, conn.ATR())
		})
	}
}

func benchRead(b *testing.B, vc *virtualcard.Card, t eid.Transport, atr []byte) {
	var c apdu.Counter
	vc.SetTracer(c.Trace)
	family := eid.RecognizeATR(atr)
	for b.Loop() {
		card, err := eid.Open(t, family)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := card.Read(card.FullRead()...); err != nil {
			b.Fatal(err)
		}
	}
	apdus, sent, recvd := c.Snapshot()
	b.ReportMetric(float64(apdus)/float64(b.N), "apdus/op")
	b.ReportMetric(float64(sent+recvd)/float64(b.N), "apdu-bytes/op")
}
