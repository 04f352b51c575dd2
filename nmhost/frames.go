package nmhost

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Native messaging frames: a 32-bit length in the machine's byte order,
// then that many bytes of UTF-8 JSON. Browsers refuse a message of more
// than 1 MiB from a host (MaxToBrowser).
const MaxToBrowser = 1 << 20

// ErrFrameSize: a message's announced length is 0 or over the limit.
var ErrFrameSize = errors.New("the message length is out of bounds")

// ReadFrame reads one message of at most max bytes. io.EOF means the
// browser closed the pipe between messages, which is how it says goodbye.
func ReadFrame(r io.Reader, max int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("reading a message length: %w", err)
		}
		return nil, err
	}
	n := binary.NativeEndian.Uint32(hdr[:])
	if n == 0 || uint64(n) > uint64(max) {
		return nil, fmt.Errorf("a %d-byte message from the browser: %w (1 to %d bytes)", n, ErrFrameSize, max)
	}
	msg := make([]byte, n)
	if _, err := io.ReadFull(r, msg); err != nil {
		if errors.Is(err, io.EOF) { // the length came, no byte of the message: not a clean close
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("reading a %d-byte message: %w", n, err)
	}
	return msg, nil
}

// WriteFrame writes msg as one frame, in one Write so that frames never
// interleave.
func WriteFrame(w io.Writer, msg []byte) error {
	if len(msg) > MaxToBrowser {
		return fmt.Errorf("a %d-byte message for the browser is over its %d-byte limit", len(msg), MaxToBrowser)
	}
	buf := make([]byte, 4+len(msg))
	binary.NativeEndian.PutUint32(buf, uint32(len(msg)))
	copy(buf[4:], msg)
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("writing to the browser: %w", err)
	}
	return nil
}
