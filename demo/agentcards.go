package demo

import (
	"fmt"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/pcsc"
)

// readerName is the in-process reader that holds the virtual card.
const readerName = "eidbridge demo reader"

// agentCards is where the agent finds cards: the virtual card in an
// in-process reader, its PIN state saved to its profile, or PC/SC.
func (d *setup) agentCards(c *virtualcard.Content) (agent.Cards, error) {
	if d.cfg.PCSC {
		pc, err := pcsc.NewContext()
		if err != nil {
			return nil, fmt.Errorf("PC/SC: %w", err)
		}
		d.closers = append(d.closers, func() { pc.Close() })
		return agent.NewPCSCCards(pc), nil
	}
	card := virtualcard.New(c, virtualcard.WithStateSaver(func(c *virtualcard.Content) error {
		return virtualcard.SaveState(d.cardDir, c)
	}))
	cards := agent.NewVirtualCards()
	cards.AddReader(readerName)
	cards.Insert(readerName, card)
	return cards, nil
}
