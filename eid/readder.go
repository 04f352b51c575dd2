package eid

import (
	"bytes"
	"fmt"
)

// isCertFile tells the certificate files 3F00/DF00/50xx.
func isCertFile(f FileID) bool {
	return bytes.HasPrefix(f.Path, []byte{0x3F, 0x00, 0xDF, 0x00, 0x50})
}

// readDER reads the first chunk, learns the object's length from its DER
// header and reads exactly the rest. A file that does not start with a
// SEQUENCE (an absent certificate is all zeros) ends after that chunk.
func (c *Card) readDER(firstLe int) ([]byte, error) {
	data, eof, err := c.readBinary(0, firstLe)
	if err != nil || eof {
		return data, err
	}
	total, ok := derLength(data)
	if !ok {
		return data, nil
	}
	if total <= len(data) {
		return data[:total], nil
	}
	for len(data) < total {
		chunk, eof, err := c.readBinary(len(data), min(c.Chunk, total-len(data)))
		if err != nil {
			return nil, err
		}
		if eof || len(chunk) == 0 {
			return nil, fmt.Errorf("DER object of %d bytes truncated at %d", total, len(data))
		}
		data = append(data, chunk...)
	}
	return data, nil
}

// derLength returns the total length (header included) of the DER
// SEQUENCE at the start of b, when its header is complete.
func derLength(b []byte) (int, bool) {
	if len(b) < 2 || b[0] != 0x30 {
		return 0, false
	}
	if b[1] < 0x80 {
		return 2 + int(b[1]), true
	}
	n := int(b[1] & 0x7F)
	if n == 0 || n > 3 || len(b) < 2+n {
		return 0, false
	}
	l := 0
	for _, x := range b[2 : 2+n] {
		l = l<<8 | int(x)
	}
	return 2 + n + l, true
}
