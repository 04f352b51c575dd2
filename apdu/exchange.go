package apdu

import (
	"fmt"
	"time"
)

// RawTransmitter sends one raw command APDU and returns the raw response
// (data ‖ SW1 SW2), with no T=0 handling. A PC/SC card handle and the
// virtual card both provide it. It must not keep cmd after returning:
// Exchange wipes it, since it may hold a PIN block.
type RawTransmitter interface {
	TransmitRaw(cmd []byte) ([]byte, error)
}

// RawFunc adapts a function to RawTransmitter.
type RawFunc func(cmd []byte) ([]byte, error)

// TransmitRaw calls f.
func (f RawFunc) TransmitRaw(cmd []byte) ([]byte, error) { return f(cmd) }

// WrongLeDelay is the pause before re-sending after 6Cxx. Belpic applets
// stop answering when the re-send comes too fast (OpenSC waits 40 ms,
// commons-eid at least 10 ms); 10 ms keeps reads quick on 1.7/1.8.
var WrongLeDelay = 10 * time.Millisecond

// maxChain bounds GET RESPONSE chaining so a faulty card cannot loop us.
const maxChain = 64

// Exchange sends cmd and applies the T=0 rules: a 6Cxx answer is re-sent
// once with the corrected Le, and 61xx answers are followed with GET
// RESPONSE until the card has no more data. The returned response carries
// all data and the final status word; a non-9000 status is not an error
// here, so callers can act on it.
func Exchange(t RawTransmitter, cmd Command) (Response, error) {
	resp, err := send(t, cmd)
	if err != nil {
		return Response{}, err
	}
	if n, ok := resp.SW.WrongLe(); ok && cmd.Le != NoLe {
		time.Sleep(WrongLeDelay)
		cmd.Le = n
		if resp, err = send(t, cmd); err != nil {
			return Response{}, err
		}
	}
	return followMoreData(t, resp)
}

func followMoreData(t RawTransmitter, resp Response) (Response, error) {
	data := resp.Data
	for i := 0; ; i++ {
		n, ok := resp.SW.MoreData()
		if !ok {
			return Response{Data: data, SW: resp.SW}, nil
		}
		if i == maxChain {
			return Response{}, fmt.Errorf("apdu: card kept answering 61xx after %d GET RESPONSE commands", maxChain)
		}
		var err error
		resp, err = send(t, GetResponse(n))
		if err != nil {
			return Response{}, fmt.Errorf("apdu: GET RESPONSE: %w", err)
		}
		if n, ok := resp.SW.WrongLe(); ok {
			if resp, err = send(t, GetResponse(n)); err != nil {
				return Response{}, fmt.Errorf("apdu: GET RESPONSE: %w", err)
			}
		}
		data = append(data, resp.Data...)
	}
}

// GetResponse builds GET RESPONSE (00 C0 00 00 Le).
func GetResponse(le int) Command {
	return Command{CLA: 0x00, INS: 0xC0, Le: le}
}

func send(t RawTransmitter, cmd Command) (Response, error) {
	raw, err := cmd.Bytes()
	if err != nil {
		return Response{}, err
	}
	out, err := t.TransmitRaw(raw)
	clear(raw) // the encoded command may hold a PIN block
	if err != nil {
		return Response{}, err
	}
	resp, err := ParseResponse(out)
	if err != nil {
		return Response{}, fmt.Errorf("apdu: %s: %w", cmd, err)
	}
	return resp, nil
}
