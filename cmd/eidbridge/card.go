package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/pcsc"
)

func init() {
	register(command{name: "card", summary: "list readers, read the eID, export its certificates", run: runCard})
}

const cardUsage = `usage:
  eidbridge card list [--watch]
  eidbridge card read [--reader NAME] [--json] [--photo FILE] [--trust PEM]...
  eidbridge card cert auth|sign|ca|root|rrn [--reader NAME]
  eidbridge card pin status|verify|change [--reader NAME] [--pin-fd N]
  eidbridge card sign --key auth|sign [--hash sha256|sha384|sha512] [--der] [--pin-fd N] [--reader NAME] FILE`

func runCard(ctx context.Context, args []string) error {
	return dispatch(ctx, "card", cardUsage, map[string]subcommand{
		"list": cardList,
		"read": cardRead,
		"cert": cardCert,
		"pin":  cardPIN,
		"sign": cardSign,
	}, args)
}

// ErrNotBelgianEID: the reader holds a card of another kind.
var errNotBelgianEID = errors.New("the card is not a Belgian eID")

// session is an opened eID in one reader.
type session struct {
	pc   *pcsc.Context
	conn *pcsc.Card
	card *eid.Card
}

func (s *session) Close() {
	if s.conn != nil {
		s.conn.Close()
	}
	s.pc.Close()
}

// openEID connects to the named reader, or to the first reader holding a
// Belgian eID when name is empty, and identifies the card.
func openEID(name string) (*session, error) {
	pc, err := pcsc.NewContext()
	if err != nil {
		return nil, err
	}
	s := &session{pc: pc}
	if err := s.connect(name); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *session) connect(name string) error {
	readers, err := s.pc.Readers()
	if err != nil {
		return err
	}
	if name != "" {
		return s.connectTo(name)
	}
	var firstErr error
	for _, r := range readers {
		err := s.connectTo(r)
		if err == nil {
			return nil
		}
		if firstErr == nil || errors.Is(firstErr, pcsc.ErrNoCard) {
			firstErr = err
		}
	}
	if errors.Is(firstErr, pcsc.ErrNoCard) {
		return fmt.Errorf("no card in any reader (%d readers): insert your eID card", len(readers))
	}
	return firstErr
}

func (s *session) connectTo(reader string) error {
	conn, err := s.pc.Connect(reader)
	if err != nil {
		return fmt.Errorf("reader %q: %w", reader, err)
	}
	family := eid.RecognizeATR(conn.ATR())
	if family == eid.NotBelgianEID {
		conn.Close()
		return fmt.Errorf("reader %q: %w (ATR %X)", reader, errNotBelgianEID, conn.ATR())
	}
	card, err := eid.Open(conn, family)
	if err != nil {
		conn.Close()
		return fmt.Errorf("reader %q: %w", reader, err)
	}
	s.conn, s.card = conn, card
	return nil
}
