package agent

import (
	"context"
	"encoding/json"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// conn is one page's connection. It costs two goroutines: the read loop
// (started by ServeHTTP, whose handler then returns) and a writer that
// owns every write, so replies, events and the card operation's answer
// never interleave.
type conn struct {
	s      *Server
	ws     *websocket.Conn
	origin Origin
	log    *slog.Logger
	ctx    context.Context // ends when the connection does
	end    context.CancelCauseFunc
	out    chan []byte
	bucket bucket

	mu      sync.Mutex
	pending *pending // this connection's running card operation
}

// pending is the card operation a connection is running.
type pending struct {
	id     string
	cancel context.CancelCauseFunc
}

func newConn(s *Server, ws *websocket.Conn, origin Origin) *conn {
	id := s.nextConn.Add(1)
	c := &conn{s: s, ws: ws, origin: origin,
		log: s.log.With("conn", id, "origin", origin.String()),
		out: make(chan []byte, s.opts.Limits.SendQueue),
		bucket: bucket{rate: s.opts.Limits.Rate, burst: float64(s.opts.Limits.Burst),
			tokens: float64(s.opts.Limits.Burst), last: s.opts.Now()}}
	c.ctx, c.end = context.WithCancelCause(s.base)
	// Whatever ends the context (the page, a slow reader, shutdown) closes
	// the socket, which ends the read loop; no goroutine waits for it.
	context.AfterFunc(c.ctx, func() { c.ws.Close() })
	return c
}

// serve runs the read loop until the page or the agent closes.
func (c *conn) serve() {
	c.log.Info("connection opened")
	c.s.hub.add(c)
	defer c.s.hub.remove(c)
	go c.writeLoop()
	defer c.close(errConnClosed)
	c.ws.SetReadLimit(MaxMessage) // gorilla closes with 1009 beyond it
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			c.log.Info("connection closed", "reason", err)
			return
		}
		if typ != websocket.TextMessage {
			c.closeWith(websocket.CloseUnsupportedData, "text frames only")
			c.log.Info("connection closed: binary frame")
			return
		}
		if !c.handleSafely(data) {
			return
		}
	}
}

// handleSafely handles one message; a panic (a bug) ends this connection
// with 1011, never the agent, which serves every other page on.
func (c *conn) handleSafely(data []byte) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			c.log.Error("handling a message panicked", "panic", p, "stack", string(debug.Stack()))
			c.closeWith(websocket.CloseInternalServerErr, "internal error")
			ok = false
		}
	}()
	c.handle(data)
	return true
}

// writeLoop sends queued messages until the connection ends.
func (c *conn) writeLoop() {
	for {
		select {
		case msg := <-c.out:
			c.ws.SetWriteDeadline(time.Now().Add(c.s.opts.Limits.WriteTimeout)) // real time, whatever the clock
			if err := c.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
				c.close(errConnClosed)
				return
			}
		case <-c.ctx.Done():
			return
		}
	}
}

// send queues msg, waiting while the queue is full: a page that does not
// read its replies stops being read in turn.
func (c *conn) send(msg []byte) {
	select {
	case c.out <- msg:
	case <-c.ctx.Done():
	}
}

// push queues an event without waiting: the hub must not stall on one
// page, so a page too slow to take its events is disconnected (it can
// reconnect and ask status).
func (c *conn) push(msg []byte) {
	select {
	case c.out <- msg:
	case <-c.ctx.Done():
	default:
		c.log.Warn("connection closed: it does not read its messages")
		c.close(errConnClosed)
	}
}

// reply sends the answer to request id (nil when it had none).
func (c *conn) reply(id *string, result any, e *Error) {
	r := Reply{ID: id, Result: result, Error: e}
	if e != nil {
		r.Result = nil
	}
	msg, err := json.Marshal(r)
	if err != nil {
		c.log.Error("encoding a reply failed", "err", err)
		msg, _ = json.Marshal(Reply{ID: id, Error: newError(CodeInternal)})
	}
	c.send(msg)
}

// close ends the connection and cancels its operation with cause.
func (c *conn) close(cause error) { c.end(cause) }

// closeWith sends a close frame with code, then closes.
func (c *conn) closeWith(code int, text string) {
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text),
		time.Now().Add(time.Second))
	c.close(errConnClosed)
}

// goAway closes the connection because the agent stops.
func (c *conn) goAway() {
	c.closeWith(websocket.CloseGoingAway, "eidbridge is stopping")
}
