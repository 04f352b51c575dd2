package agent

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
)

func TestHubEndsOperationOnlyForItsCard(t *testing.T) {
	h := newHub(slog.New(slog.NewTextHandler(io.Discard, nil)), []byte("k"))
	atr := []byte{0x3B, 0x98, 0x13, 0x40, 0x0A, 0xA5, 0x03, 0x01, 0x01, 0x01, 0xAD, 0x13, 0x11}
	h.apply(CardEvent{Kind: ReaderAdded, Reader: "r"})
	h.apply(CardEvent{Kind: ReaderAdded, Reader: "other"})
	h.apply(CardEvent{Kind: CardInserted, Reader: "r", ATR: atr})

	ctx, stop := context.WithCancelCause(context.Background())
	unwatch := h.watchCard("r", stop)
	h.apply(CardEvent{Kind: CardRemoved, Reader: "other"})
	if ctx.Err() != nil {
		t.Fatal("another reader's removal ended the operation")
	}
	h.apply(CardEvent{Kind: CardRemoved, Reader: "r"})
	if !errors.Is(context.Cause(ctx), errCardRemoved) {
		t.Fatalf("cause %v, want errCardRemoved", context.Cause(ctx))
	}
	unwatch()

	// The card was re-inserted and opened before the hub saw the insertion:
	// the removal already queued belongs to the previous card.
	ctx, stop = context.WithCancelCause(context.Background())
	defer unwatch()
	unwatch = h.watchCard("r", stop)
	h.apply(CardEvent{Kind: CardRemoved, Reader: "r"}) // late news of the earlier removal
	h.apply(CardEvent{Kind: CardInserted, Reader: "r", ATR: atr})
	if ctx.Err() != nil {
		t.Fatal("a removal from before the operation's card was inserted ended it")
	}
	h.apply(CardEvent{Kind: ReaderRemoved, Reader: "r"})
	if !errors.Is(context.Cause(ctx), errCardRemoved) {
		t.Fatal("the reader unplugged after the insertion did not end the operation")
	}
	if st := h.status("https://a.be"); len(st.Readers) != 1 || st.Readers[0].Name != ReaderHandle([]byte("k"), "https://a.be", "other") ||
		st.Readers[0].CardPresent {
		t.Errorf("status %+v", st)
	}
}
