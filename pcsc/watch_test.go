package pcsc

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"
)

// watchFake runs Watch on svc. stop cancels it and returns its result,
// failing the test if it does not return promptly.
func watchFake(t *testing.T, svc *fakeSvc) (events <-chan Event, stop func() error) {
	t.Helper()
	c, err := NewContext(withEstablish(svc.establish), WithWatchBackoff(time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	out := make(chan Event)
	res := make(chan error, 1)
	go func() { res <- c.Watch(ctx, out) }()
	var once sync.Once
	var result error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case result = <-res:
			case <-time.After(5 * time.Second):
				result = errors.New("Watch did not stop on cancel")
			}
		})
		return result
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("Watch: %v", err)
		}
	})
	return out, stop
}

// expect reads len(want) events and compares them.
func expect(t *testing.T, events <-chan Event, want ...Event) {
	t.Helper()
	var got []Event
	timeout := time.After(5 * time.Second)
	for len(got) < len(want) {
		select {
		case ev := <-events:
			got = append(got, ev)
		case <-timeout:
			t.Fatalf("events = %v, still waiting for %v", got, want[len(got):])
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
}

func TestWatchReportsChanges(t *testing.T) {
	svc := newFakeSvc("r1", "r2")
	svc.insert("r2", atrA)
	events, _ := watchFake(t, svc)
	expect(t, events, Event{ReaderAdded, "r1", nil}, Event{ReaderAdded, "r2", nil}, Event{CardInserted, "r2", atrA})

	svc.insert("r1", atrB)
	expect(t, events, Event{CardInserted, "r1", atrB})
	svc.remove("r2")
	expect(t, events, Event{CardRemoved, "r2", nil})
	svc.addReader("r3")
	expect(t, events, Event{ReaderAdded, "r3", nil})
	svc.do(func() { delete(svc.slots, "r1") })
	expect(t, events, Event{CardRemoved, "r1", nil}, Event{ReaderRemoved, "r1", nil})
}

func TestWatchSurvivesServiceRestart(t *testing.T) {
	svc := newFakeSvc("r1")
	svc.insert("r1", atrA)
	events, _ := watchFake(t, svc)
	expect(t, events, Event{ReaderAdded, "r1", nil}, Event{CardInserted, "r1", atrA})

	svc.setDown(true)
	expect(t, events, Event{CardRemoved, "r1", nil}, Event{ReaderRemoved, "r1", nil})
	svc.setDown(false)
	expect(t, events, Event{ReaderAdded, "r1", nil}, Event{CardInserted, "r1", atrA})
}

func TestWatchStopsOnCancel(t *testing.T) {
	svc := newFakeSvc("r1")
	events, stop := watchFake(t, svc)
	expect(t, events, Event{ReaderAdded, "r1", nil})
	// Watch is now blocked waiting for a change.
	if err := stop(); err != nil {
		t.Errorf("Watch = %v, want nil after cancel", err)
	}
}

func TestWatchMisuse(t *testing.T) {
	svc := newFakeSvc("r1")
	c, err := NewContext(withEstablish(svc.establish))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Watch(context.Background(), nil); err == nil {
		t.Error("nil channel accepted")
	}
	events, _ := watchFake(t, svc)
	expect(t, events, Event{ReaderAdded, "r1", nil})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Watch(ctx, make(chan Event)); !errors.Is(err, ErrWatchBusy) {
		t.Errorf("second Watch: %v, want ErrWatchBusy", err)
	}
	_ = c.Close()
	if err := c.Watch(ctx, make(chan Event)); !errors.Is(err, ErrClosed) {
		t.Errorf("Watch on a closed Context: %v, want ErrClosed", err)
	}
}

// Where the service does not support the PnP entry (macOS answers it
// UNKNOWN, or refuses it), readers plugged in or pulled out are still
// reported, by polling the reader list, and card events still wake the
// wait at once.
func TestWatchWithoutPnP(t *testing.T) {
	defer func(d time.Duration) { pollWithoutPnP = d }(pollWithoutPnP)
	pollWithoutPnP = 20 * time.Millisecond
	for _, mode := range []string{"unknown", "refused"} {
		t.Run(mode, func(t *testing.T) {
			svc := newFakeSvc()
			svc.noPnP, svc.refusePnP = mode == "unknown", mode == "refused"
			events, _ := watchFake(t, svc)
			svc.addReader("r1")
			expect(t, events, Event{ReaderAdded, "r1", nil})
			svc.insert("r1", atrA)
			expect(t, events, Event{CardInserted, "r1", atrA})
			svc.addReader("r2")
			expect(t, events, Event{ReaderAdded, "r2", nil})
			svc.do(func() { delete(svc.slots, "r1") })
			expect(t, events, Event{CardRemoved, "r1", nil}, Event{ReaderRemoved, "r1", nil})
		})
	}
}

// One UNKNOWN_READER right after listing is a reader that left in
// between, not a service without PnP: reader changes still wake the wait
// (the poll is made too slow to be what reports them).
func TestWatchKeepsPnPAfterOneUnknownReader(t *testing.T) {
	defer func(d time.Duration) { pollWithoutPnP = d }(pollWithoutPnP)
	pollWithoutPnP = time.Hour
	svc := newFakeSvc("r1")
	svc.refuseOnce = 1
	events, _ := watchFake(t, svc)
	expect(t, events, Event{ReaderAdded, "r1", nil})
	svc.addReader("r2")
	expect(t, events, Event{ReaderAdded, "r2", nil})
}
