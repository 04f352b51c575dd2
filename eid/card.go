package eid

import (
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// AID of the BELPIC applet, default-selected after a reset.
var appletAID = []byte{0xA0, 0x00, 0x00, 0x00, 0x30, 0x29, 0x05, 0x70, 0x00, 0xAD, 0x13, 0x10, 0x01, 0x01, 0xFF}

// Applet versions this package supports.
const (
	Applet17 byte = 0x17
	Applet18 byte = 0x18
)

// ErrUnsupportedApplet: the card is a Belgian eID whose applet is older
// than 1.7 (RSA-1024 cards, all expired since 2019 at the latest).
var ErrUnsupportedApplet = errors.New("eid: this Belgian eID card is too old (applet before 1.7); it expired years ago and must be renewed at the municipality")

// ErrNotPersonalized: the applet has not been issued to a citizen yet.
var ErrNotPersonalized = errors.New("eid: the card has not been personalised (blank card)")

// Card is an opened Belgian eID card.
type Card struct {
	t    Transport
	Data CardData
	// Chunk is the READ BINARY length; 256 (Le=00) moves the most data a
	// short APDU carries. Lower it for readers that cannot take 256.
	Chunk int
}

// Open identifies the card with GET CARD DATA and refuses applets older
// than 1.7. family is what RecognizeATR said; pass FamilyRSA when unknown.
func Open(t Transport, family Family) (*Card, error) {
	c := &Card{t: t, Chunk: 256}
	c.session() // observes every command from the first, so nothing is unknown
	err := c.t.Transaction(func() error {
		var err error
		c.Data, err = c.getCardData(family)
		return err
	})
	if err != nil {
		return nil, err
	}
	if c.Data.AppletVersion < Applet17 {
		return nil, fmt.Errorf("%w (applet version %02X)", ErrUnsupportedApplet, c.Data.AppletVersion)
	}
	if c.Data.LifeCycle == LifeCycleSelectable {
		return nil, ErrNotPersonalized
	}
	return c, nil
}

// getCardData asks the 1.8 form (P2=01, with the PIN counter) straight
// away when the ATR says 1.8, saving the round trip eid-mw makes.
func (c *Card) getCardData(family Family) (CardData, error) {
	if family == FamilyEC {
		resp, err := c.transmitApplet(getCardData(1))
		if err != nil {
			return CardData{}, err
		}
		if resp.SW == apdu.OK {
			return ParseCardData(resp.Data)
		}
	}
	resp, err := c.transmitApplet(getCardData(0))
	if err != nil {
		return CardData{}, err
	}
	if err := resp.Err(); err != nil {
		return CardData{}, fmt.Errorf("eid: GET CARD DATA: %w", err)
	}
	return ParseCardData(resp.Data)
}

func getCardData(p2 byte) apdu.Command {
	le := cardDataLen
	if p2 == 1 {
		le = cardDataLen18
	}
	return apdu.Command{CLA: 0x80, INS: 0xE4, P2: p2, Le: le}
}

// transmitApplet sends cmd and, when the answer says another applet is
// selected (another application may have left one selected), selects the
// BELPIC applet and tries once more.
func (c *Card) transmitApplet(cmd apdu.Command) (apdu.Response, error) {
	resp, err := c.t.Transmit(cmd)
	if err != nil || !otherAppletSelected(resp.SW) {
		return resp, err
	}
	sel, err := c.t.Transmit(apdu.Command{INS: 0xA4, P1: 0x04, P2: 0x0C, Data: appletAID, Le: apdu.NoLe})
	if err != nil {
		return apdu.Response{}, err
	}
	if err := sel.Err(); err != nil {
		return apdu.Response{}, fmt.Errorf("eid: selecting the BELPIC applet: %w", err)
	}
	return c.t.Transmit(cmd)
}

func otherAppletSelected(sw apdu.Status) bool {
	return sw == apdu.INSNotSupported || sw == apdu.CLANotSupported || sw == apdu.ChannelNotSupported
}

// Transport returns the card's transport: the one it was opened on,
// wrapped by the observer that tracks the card session (see session).
func (c *Card) Transport() Transport { return c.t }
