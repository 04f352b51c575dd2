package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/pcsc"
)

func cardList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("card list", flag.ContinueOnError)
	watch := fs.Bool("watch", false, "print reader and card events as they happen, until interrupted")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	pc, err := pcsc.NewContext()
	if err != nil {
		return err
	}
	defer pc.Close()
	if *watch {
		return watchEvents(ctx, pc)
	}
	readers, err := pc.Readers()
	if err != nil {
		return err
	}
	for _, r := range readers {
		fmt.Printf("%s: %s\n", r, describeReader(pc, r))
	}
	return nil
}

// describeReader says what card the reader holds, opening it only to ask
// the applet version (GET CARD DATA reads no personal data).
func describeReader(pc *pcsc.Context, reader string) string {
	conn, err := pc.Connect(reader)
	if errors.Is(err, pcsc.ErrNoCard) {
		return "no card"
	}
	if err != nil {
		return err.Error()
	}
	defer conn.Close()
	family := eid.RecognizeATR(conn.ATR())
	if family == eid.NotBelgianEID {
		return fmt.Sprintf("card present, not a Belgian eID (ATR %X)", conn.ATR())
	}
	card, err := eid.Open(conn, family)
	if err != nil {
		return fmt.Sprintf("Belgian eID, unreadable: %v (ATR %X)", err, conn.ATR())
	}
	return fmt.Sprintf("Belgian eID, applet %s, chip %s (ATR %X)", card.Data.Applet(), card.Data.ShortSerial(), conn.ATR())
}

func watchEvents(ctx context.Context, pc *pcsc.Context) error {
	events := make(chan pcsc.Event)
	done := make(chan error, 1)
	go func() { done <- pc.Watch(ctx, events) }()
	for {
		select {
		case ev := <-events:
			fmt.Println(ev)
		case err := <-done:
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}
