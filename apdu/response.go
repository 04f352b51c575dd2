package apdu

import (
	"errors"
	"fmt"
)

// Response is a response APDU: data and the trailing status word.
type Response struct {
	Data []byte
	SW   Status
}

// ParseResponse splits a raw response into data and status word.
func ParseResponse(b []byte) (Response, error) {
	if len(b) < 2 {
		return Response{}, fmt.Errorf("apdu: response of %d bytes has no status word", len(b))
	}
	n := len(b) - 2
	return Response{Data: append([]byte(nil), b[:n]...), SW: Status(uint16(b[n])<<8 | uint16(b[n+1]))}, nil
}

// Bytes encodes the response as data followed by SW1 SW2.
func (r Response) Bytes() []byte {
	out := make([]byte, 0, len(r.Data)+2)
	out = append(out, r.Data...)
	return append(out, byte(r.SW>>8), byte(r.SW))
}

// Err returns nil when the status word is 9000 and the Status otherwise.
func (r Response) Err() error {
	if r.SW == OK {
		return nil
	}
	return r.SW
}

// StatusOf extracts the status word from an error returned by this package
// or wrapped around a Status; ok is false when err carries none.
func StatusOf(err error) (sw Status, ok bool) {
	ok = errors.As(err, &sw)
	return sw, ok
}
