package nmhost

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
)

// errNotJSON: the extension sent a frame that is not one JSON object.
var errNotJSON = errors.New("a message from the extension is not one JSON object")

// relayFrames copies the extension's frames to the agent and the agent's
// messages to the extension, unchanged, until either side ends. The
// browser closing the pipe (the page went away) closes the websocket
// normally; the agent closing ends the host, which the browser reports to
// the extension as a disconnection.
func relayFrames(ws *websocket.Conn, in io.Reader, out io.Writer) error {
	ws.SetReadLimit(MaxToBrowser) // gorilla closes with 1009 beyond it
	errc := make(chan error, 2)
	go func() { errc <- browserToAgent(ws, in) }()
	go func() { errc <- agentToBrowser(ws, out) }()
	err := <-errc
	// The other direction ends with the websocket or the process: a read
	// of the browser's pipe cannot be interrupted, and need not be.
	ws.Close()
	return err
}

func browserToAgent(ws *websocket.Conn, in io.Reader) error {
	for {
		msg, err := ReadFrame(in, agent.MaxMessage)
		if errors.Is(err, io.EOF) {
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""),
				time.Now().Add(time.Second))
			return nil
		}
		if err != nil {
			return err
		}
		if !isJSONObject(msg) {
			return errNotJSON
		}
		if err := ws.WriteMessage(websocket.TextMessage, msg); err != nil {
			return fmt.Errorf("writing to the agent: %w", err)
		}
	}
}

func agentToBrowser(ws *websocket.Conn, out io.Writer) error {
	for {
		typ, msg, err := ws.ReadMessage()
		if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading from the agent: %w", err)
		}
		if typ != websocket.TextMessage {
			continue // the agent sends text only
		}
		if err := WriteFrame(out, msg); err != nil {
			return err
		}
	}
}

// isJSONObject reports whether b is exactly one JSON object: the agent
// would refuse anything else, and the host is strict before it.
func isJSONObject(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && json.Valid(b)
}
