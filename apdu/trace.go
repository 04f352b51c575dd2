package apdu

import "sync"

// Tracer observes every raw APDU pair that crosses a transport. Commands
// that carry a PIN are redacted before the tracer sees them.
type Tracer func(cmd, resp []byte)

// Traced wraps t so that every exchange is reported to tr after PIN
// redaction. A nil tracer returns t unchanged (tracing is off by default).
func Traced(t RawTransmitter, tr Tracer) RawTransmitter {
	if tr == nil {
		return t
	}
	return RawFunc(func(cmd []byte) ([]byte, error) {
		resp, err := t.TransmitRaw(cmd)
		if err == nil {
			tr(Redact(cmd), resp)
		}
		return resp, err
	})
}

// Redact returns cmd with the data of VERIFY (INS 20), CHANGE REFERENCE
// DATA (24) and RESET RETRY COUNTER (2C) replaced by 'X' bytes (0x58), so
// no trace, log or test output ever holds a PIN. Other commands are copied.
func Redact(cmd []byte) []byte {
	out := append([]byte(nil), cmd...)
	if len(out) < 6 {
		return out
	}
	switch out[1] {
	case 0x20, 0x24, 0x2C:
		for i := 5; i < len(out); i++ {
			out[i] = 'X'
		}
	}
	return out
}

// Counter is a Tracer target that counts APDUs and bytes, for tests and
// benchmarks. It is safe for concurrent use.
type Counter struct {
	mu                    sync.Mutex
	APDUs                 int
	BytesSent, BytesRecvd int
}

// Trace records one exchange; pass c.Trace as a Tracer.
func (c *Counter) Trace(cmd, resp []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.APDUs++
	c.BytesSent += len(cmd)
	c.BytesRecvd += len(resp)
}

// Snapshot returns the counts so far.
func (c *Counter) Snapshot() (apdus, sent, recvd int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.APDUs, c.BytesSent, c.BytesRecvd
}
