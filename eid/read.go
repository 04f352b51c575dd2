package eid

import (
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/apdu"
)

// ErrFileNotFound: the card has no such file (SELECT answered 6A82).
var ErrFileNotFound = errors.New("eid: file not found on the card")

// maxOffset is the largest READ BINARY offset: P1 bit 8 must stay clear.
const maxOffset = 0x7FFF

// ReadFile reads one file whole inside its own transaction.
func (c *Card) ReadFile(f FileID) ([]byte, error) {
	var data []byte
	err := c.t.Transaction(func() error {
		var err error
		data, err = c.readFile(f, layoutOf(f, nil))
		return err
	})
	return data, err
}

// readFile selects f and reads it as l says, with the fewest APDUs.
func (c *Card) readFile(f FileID, l layout) ([]byte, error) {
	if err := c.selectFile(f); err != nil {
		return nil, err
	}
	var data []byte
	var err error
	switch {
	case l.exact > 0:
		data, err = c.readExact(l.exact)
	case l.der:
		data, err = c.readDER(max(l.firstLe, 8))
	default:
		data, err = c.readToEOF(0, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("eid: reading the %s: %w", f.Name, err)
	}
	return data, nil
}

func (c *Card) selectFile(f FileID) error {
	cmd := apdu.Command{INS: 0xA4, P1: 0x08, P2: 0x0C, Data: f.Path, Le: apdu.NoLe}
	resp, err := c.transmitApplet(cmd)
	if err == nil && (resp.SW == apdu.FileNotFound || resp.SW == apdu.IncorrectP1P2InData) {
		// Another application may have selected a different applet.
		resp, err = c.reselectAndRetry(cmd)
	}
	if err != nil {
		return fmt.Errorf("eid: selecting the %s: %w", f.Name, err)
	}
	if resp.SW == apdu.FileNotFound {
		return fmt.Errorf("%w: %s (%X)", ErrFileNotFound, f.Name, f.Path)
	}
	if err := resp.Err(); err != nil {
		return fmt.Errorf("eid: selecting the %s: %w", f.Name, err)
	}
	return nil
}

func (c *Card) reselectAndRetry(cmd apdu.Command) (apdu.Response, error) {
	sel, err := c.t.Transmit(apdu.Command{INS: 0xA4, P1: 0x04, P2: 0x0C, Data: appletAID, Le: apdu.NoLe})
	if err != nil {
		return apdu.Response{}, err
	}
	if sel.SW != apdu.OK {
		return apdu.Response{SW: apdu.FileNotFound}, nil
	}
	return c.t.Transmit(cmd)
}

// readToEOF appends chunks from offset until the card signals the end: a
// short answer (after 6Cxx was re-sent with the remaining length) or 6B00.
func (c *Card) readToEOF(offset int, data []byte) ([]byte, error) {
	for {
		chunk, eof, err := c.readBinary(offset, c.Chunk)
		if err != nil {
			return nil, err
		}
		data = append(data, chunk...)
		offset += len(chunk)
		if eof || len(chunk) < c.Chunk {
			return data, nil
		}
	}
}

// readExact reads a file whose size is known, without probing its end.
func (c *Card) readExact(size int) ([]byte, error) {
	data := make([]byte, 0, size)
	for len(data) < size {
		chunk, eof, err := c.readBinary(len(data), min(c.Chunk, size-len(data)))
		if err != nil {
			return nil, err
		}
		if eof || len(chunk) == 0 {
			break
		}
		data = append(data, chunk...)
	}
	if len(data) != size {
		return nil, fmt.Errorf("file holds %d bytes, expected %d", len(data), size)
	}
	return data, nil
}

// readBinary reads up to le bytes at offset; eof reports 6B00 (offset at
// or past the end of the file).
func (c *Card) readBinary(offset, le int) (data []byte, eof bool, err error) {
	if offset > maxOffset {
		return nil, false, fmt.Errorf("file larger than %d bytes", maxOffset)
	}
	resp, err := c.t.Transmit(apdu.Command{INS: 0xB0, P1: byte(offset >> 8), P2: byte(offset), Le: le})
	if err != nil {
		return nil, false, err
	}
	switch {
	case resp.SW == apdu.WrongP1P2:
		return nil, true, nil
	case resp.SW != apdu.OK:
		return nil, false, fmt.Errorf("READ BINARY at offset %d: %w", offset, resp.SW)
	case len(resp.Data) > le:
		return nil, false, fmt.Errorf("READ BINARY at offset %d: card sent %d bytes, asked %d", offset, len(resp.Data), le)
	}
	return resp.Data, false, nil
}
