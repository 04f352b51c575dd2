// Package apdu holds ISO 7816-4 command and response APDUs, status words,
// and the T=0 exchange rules (61xx GET RESPONSE, 6Cxx re-send): smart
// card facts, not Belgian ones, shared by the PC/SC transport (pcsc), the
// card protocol (eid) and the virtual card.
package apdu

import (
	"errors"
	"fmt"
)

// NoLe marks a command without an Le field (ISO 7816 case 1 or 3).
const NoLe = -1

// Command is a short command APDU. Le is NoLe or 1..256 (256 is sent as 00).
type Command struct {
	CLA, INS, P1, P2 byte
	Data             []byte
	Le               int
}

// Bytes encodes the command in its short form.
func (c Command) Bytes() ([]byte, error) {
	if len(c.Data) > 255 {
		return nil, fmt.Errorf("apdu: command data of %d bytes exceeds a short APDU", len(c.Data))
	}
	if c.Le != NoLe && (c.Le < 1 || c.Le > 256) {
		return nil, fmt.Errorf("apdu: Le %d out of range 1..256", c.Le)
	}
	b := make([]byte, 0, 5+len(c.Data)+1)
	b = append(b, c.CLA, c.INS, c.P1, c.P2)
	if len(c.Data) > 0 {
		b = append(b, byte(len(c.Data)))
		b = append(b, c.Data...)
	}
	if c.Le != NoLe {
		b = append(b, byte(c.Le)) // 256 wraps to 00, as ISO 7816 wants
	}
	return b, nil
}

// ParseCommand decodes a short command APDU (cases 1 to 4).
// A lone P3 byte after the header is read as Le, as T=0 readers send it.
func ParseCommand(b []byte) (Command, error) {
	if len(b) < 4 {
		return Command{}, errors.New("apdu: command shorter than its 4-byte header")
	}
	c := Command{CLA: b[0], INS: b[1], P1: b[2], P2: b[3], Le: NoLe}
	body := b[4:]
	switch {
	case len(body) == 0:
		return c, nil
	case len(body) == 1:
		c.Le = leValue(body[0])
		return c, nil
	}
	lc := int(body[0])
	if lc == 0 {
		return Command{}, errors.New("apdu: extended-length commands are not supported")
	}
	switch len(body) {
	case 1 + lc:
	case 2 + lc:
		c.Le = leValue(body[1+lc])
	default:
		return Command{}, fmt.Errorf("apdu: Lc %d does not match %d body bytes", lc, len(body))
	}
	c.Data = append([]byte(nil), body[1:1+lc]...)
	return c, nil
}

func leValue(b byte) int {
	if b == 0 {
		return 256
	}
	return int(b)
}

// String renders the command in hex for traces and test failures.
func (c Command) String() string {
	b, err := c.Bytes()
	if err != nil {
		return fmt.Sprintf("invalid command: %v", err)
	}
	return fmt.Sprintf("% X", b)
}
