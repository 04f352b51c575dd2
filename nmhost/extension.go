package nmhost

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/eidbridge/eidbridge/agent"
)

// The eidbridge extension's dialect: a hello naming the page's origin
// (or the origins query), the relay's status, then the agent's protocol
// (docs/protocol.md §8) copied both ways.

// hostStatus is the host's own message to the extension; agent messages
// never have a "relay" member.
type hostStatus struct {
	Relay struct {
		Status string `json:"status"` // "ready", "unavailable" or "refused"
	} `json:"relay"`
}

// serve reads the extension's hello. For the origins query it answers
// the configured allowlist and ends. For an origin it connects to the
// agent as its relay and then copies messages both ways until either
// side ends. When the agent cannot be reached it says "unavailable", or
// "refused" when the agent refused the origin, and returns nil; the
// extension remembers refusals and tells the page only "unavailable".
func (h host) serve(ctx context.Context, in io.Reader, out io.Writer) error {
	origin, query, err := readHello(in)
	if err != nil {
		return err
	}
	if query {
		return writeOrigins(out, h.allowed, h.asks)
	}
	ws, refused, err := h.dial(ctx, origin)
	if err != nil {
		status := "unavailable"
		if refused {
			status = "refused"
		}
		h.log.Warn("the agent is not available", "origin", origin, "status", status, "err", err)
		return writeStatus(out, status)
	}
	defer ws.Close()
	if err := writeStatus(out, "ready"); err != nil {
		return err
	}
	h.log.Info("relaying", "origin", origin)
	return relayFrames(ws, in, out)
}

// readHello reads the extension's first message, strictly either
// {"origin": O} with O a canonical web origin, or {"query": "origins"}.
func readHello(in io.Reader) (origin string, query bool, err error) {
	msg, err := ReadFrame(in, 4096)
	if err != nil {
		return "", false, fmt.Errorf("reading the extension's hello: %w", err)
	}
	var hello struct {
		Origin *string `json:"origin"`
		Query  *string `json:"query"`
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&hello); err != nil || !isJSONObject(msg) || (hello.Origin == nil) == (hello.Query == nil) {
		return "", false, fmt.Errorf("the extension's hello is not {\"origin\": ORIGIN} or {\"query\": \"origins\"}: %.80q", msg)
	}
	if hello.Query != nil {
		if *hello.Query != "origins" {
			return "", false, fmt.Errorf("the extension's hello: unknown query %.40q", *hello.Query)
		}
		return "", true, nil
	}
	o, err := agent.ParseOrigin(*hello.Origin)
	if err != nil || o.String() != *hello.Origin {
		return "", false, fmt.Errorf("the extension's hello: %q is not a canonical origin", *hello.Origin)
	}
	return *hello.Origin, false, nil
}

func writeStatus(out io.Writer, status string) error {
	var s hostStatus
	s.Relay.Status = status
	b, _ := json.Marshal(s)
	return WriteFrame(out, b)
}
