// Package vpcd plugs a card into pcscd through vsmartcard's vpcd reader
// driver. The card side dials the driver's TCP port; every message is a
// 2-byte big-endian length and a payload. A 1-byte payload is a control
// (power off, power on, reset, ATR request); anything longer is a command
// APDU answered with a response APDU. Closing the connection removes the
// card from the reader.
package vpcd

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
)

// DefaultAddr is the first vpcd reader ("Virtual PCD 00 00") of Debian's
// vsmartcard-vpcd; the second listens on 35964.
const DefaultAddr = "127.0.0.1:35963"

// Card is what vpcd drives.
type Card interface {
	ATR() []byte
	PowerOn()
	PowerOff()
	Reset()
	// Process answers one command APDU with a response APDU (data ‖ SW).
	Process(cmd []byte) []byte
}

// Control bytes of the vpcd protocol.
const (
	ctrlPowerOff = 0x00
	ctrlPowerOn  = 0x01
	ctrlReset    = 0x02
	ctrlATR      = 0x04
)

// Serve dials addr and serves card until ctx is done (the card is then
// removed) or the driver closes the connection.
func Serve(ctx context.Context, addr string, card Card) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if ctx.Err() != nil {
		if conn != nil {
			conn.Close()
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("vpcd: connect to %s (is pcscd running with vsmartcard-vpcd?): %w", addr, err)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()
	err = serveConn(&ackReader{conn: conn}, conn, card)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// ackReader re-arms quick ACKs before every read from the driver.
type ackReader struct{ conn net.Conn }

func (a *ackReader) Read(p []byte) (int, error) {
	quickAck(a.conn)
	return a.conn.Read(p)
}

func serveConn(r io.Reader, w io.Writer, card Card) error {
	for {
		msg, err := readMsg(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("vpcd: read: %w", err)
		}
		reply, err := handle(msg, card)
		if err != nil {
			return err
		}
		if reply == nil {
			continue
		}
		if err := writeMsg(w, reply); err != nil {
			return fmt.Errorf("vpcd: write: %w", err)
		}
	}
}

func handle(msg []byte, card Card) ([]byte, error) {
	if len(msg) != 1 {
		return card.Process(msg), nil
	}
	switch msg[0] {
	case ctrlPowerOff:
		card.PowerOff()
	case ctrlPowerOn:
		card.PowerOn()
	case ctrlReset:
		card.Reset()
	case ctrlATR:
		return card.ATR(), nil
	default:
		return nil, fmt.Errorf("vpcd: unknown control byte %#02x", msg[0])
	}
	return nil, nil
}

func readMsg(r io.Reader) ([]byte, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	msg := make([]byte, binary.BigEndian.Uint16(hdr[:]))
	if _, err := io.ReadFull(r, msg); err != nil {
		return nil, fmt.Errorf("truncated message: %w", err)
	}
	return msg, nil
}

func writeMsg(w io.Writer, payload []byte) error {
	if len(payload) > 0xFFFF {
		return fmt.Errorf("message of %d bytes too long", len(payload))
	}
	buf := make([]byte, 2+len(payload))
	binary.BigEndian.PutUint16(buf, uint16(len(payload)))
	copy(buf[2:], payload)
	_, err := w.Write(buf)
	return err
}
