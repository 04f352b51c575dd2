package vpcd

import (
	"context"
	"log/slog"
	"os"
	"time"
)

// Pluggable is a card that can leave and re-enter the reader.
type Pluggable interface {
	Card
	Remove()
	Insert()
}

const (
	reinsertDelay  = 500 * time.Millisecond // a replug: out, then back in
	reconnectDelay = 2 * time.Second        // vpcd gone (pcscd stopped?)
)

// Keep keeps card in the vpcd reader at addr until ctx ends. A signal on
// replug closes the connection, which pcscd sees as a removal, and dials
// again after reinsertDelay. A connection that fails or is closed by the
// driver is retried every reconnectDelay: pcscd may be restarting.
func Keep(ctx context.Context, log *slog.Logger, addr string, card Pluggable, replug <-chan os.Signal) {
	for {
		replugged, err := serveUntilReplug(ctx, addr, card, replug, log)
		card.Remove()
		delay := reinsertDelay
		switch {
		case ctx.Err() != nil:
			log.Info("card removed; stopping")
			return
		case replugged:
			log.Info("card removed (SIGUSR1); re-inserting", "after", delay)
		default:
			delay = reconnectDelay
			log.Warn("vpcd connection ended; reconnecting", "err", err, "after", delay)
		}
		select {
		case <-ctx.Done():
			log.Info("stopping")
			return
		case <-time.After(delay):
		}
		card.Insert()
	}
}

// serveUntilReplug serves one connection until it ends or a replug
// signal arrives, which ends it.
func serveUntilReplug(ctx context.Context, addr string, card Card, replug <-chan os.Signal, log *slog.Logger) (bool, error) {
	conn, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Serve(conn, addr, card) }()
	log.Info("inserting the card: connecting to the vpcd reader", "addr", addr)
	select {
	case err := <-done:
		return false, err
	case <-replug:
		cancel()
		return true, <-done
	}
}
