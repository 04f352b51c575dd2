package pcsc

import (
	"errors"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
)

func TestContextRecoversAfterRestart(t *testing.T) {
	svc, c, card, _ := fakeConnect(t)
	svc.setDown(true)
	if _, err := c.Readers(); !errors.Is(err, ErrNoService) {
		t.Fatalf("Readers with the service down: %v, want ErrNoService", err)
	}
	svc.setDown(false)
	readers, err := c.Readers()
	if err != nil || len(readers) != 1 || readers[0] != fakeReader {
		t.Fatalf("Readers after the restart = %q, %v", readers, err)
	}
	if svc.established != 2 {
		t.Errorf("%d contexts established, want 2 (one per service lifetime)", svc.established)
	}
	if _, err := card.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); !errors.Is(err, ErrConnectionLost) {
		t.Errorf("old card after the restart: %v, want ErrConnectionLost", err)
	}
	card2, err := c.Connect(fakeReader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := card2.Transmit(apdu.Command{INS: insSelect, Le: apdu.NoLe}); err != nil {
		t.Errorf("new card: %v", err)
	}
}

func TestContextRetriesOnceTransparently(t *testing.T) {
	svc, c, _, _ := fakeConnect(t)
	svc.setDown(true)
	svc.setDown(false) // restarted between two calls: the held context is dead
	if _, err := c.Readers(); err != nil {
		t.Errorf("first call after a restart failed: %v", err)
	}
	if svc.established != 2 {
		t.Errorf("%d contexts established, want 2", svc.established)
	}
}

func TestCardNoticesDeadService(t *testing.T) {
	svc, c, card, _ := fakeConnect(t)
	svc.setDown(true)
	svc.setDown(false)
	// The card is the first to hit the dead context; it must drop it so
	// that the next Connect works at once.
	if _, err := card.TransmitRaw([]byte{0, insSelect, 0, 0}); !errors.Is(err, ErrConnectionLost) {
		t.Fatalf("transmit: %v, want ErrConnectionLost", err)
	}
	if _, err := c.Connect(fakeReader); err != nil {
		t.Errorf("connect after the loss: %v", err)
	}
}

func TestConnectErrors(t *testing.T) {
	svc := newFakeSvc(fakeReader)
	c, err := NewContext(withEstablish(svc.establish))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Connect(""); err == nil {
		t.Error("empty reader name accepted")
	}
	if _, err := c.Connect(fakeReader); !errors.Is(err, ErrNoCard) {
		t.Errorf("empty reader: %v, want ErrNoCard", err)
	}
	if _, err := c.Connect("nope"); !errors.Is(err, ErrReaderGone) {
		t.Errorf("unknown reader: %v, want ErrReaderGone", err)
	}
	svc.do(func() { delete(svc.slots, fakeReader) })
	if _, err := c.Readers(); !errors.Is(err, ErrNoReaders) {
		t.Errorf("no readers: %v, want ErrNoReaders", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Readers(); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}
}

func TestConnectFallsBackFromT0(t *testing.T) {
	svc := newFakeSvc(fakeReader)
	svc.insert(fakeReader, beid18ATR)
	svc.refuseT0 = true
	c, err := NewContext(withEstablish(svc.establish))
	if err != nil {
		t.Fatal(err)
	}
	card, err := c.Connect(fakeReader)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	if card.Protocol() != "T=1" || card.proto != protocolAny {
		t.Errorf("protocol %s, asked %v; want the T=0|T=1 fallback", card.Protocol(), card.proto)
	}
}

func TestServiceDownFromTheStart(t *testing.T) {
	svc := newFakeSvc(fakeReader)
	svc.setDown(true)
	c, err := NewContext(withEstablish(svc.establish))
	if err != nil {
		t.Fatalf("NewContext must not need the service: %v", err)
	}
	if _, err := c.Connect(fakeReader); !errors.Is(err, ErrNoService) {
		t.Errorf("connect: %v, want ErrNoService", err)
	}
}
