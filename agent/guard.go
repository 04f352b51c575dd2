package agent

import (
	"container/list"
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
)

// guardedListener admits the agent's connections: only from processes of
// the agent's own user where the system can tell (peer_*.go), and at most
// max connections that have not yet had their handshake served, the
// oldest dropped first. Connections that never send a handshake cannot
// crowd a page out: a new one always gets in, within the time it takes
// to send its request.
type guardedListener struct {
	net.Listener
	max     int
	refused func(remote net.Addr, why string)

	mu      sync.Mutex
	pending list.List // *guardedConn, oldest first
}

func newGuardedListener(ln net.Listener, max int, refused func(net.Addr, string)) *guardedListener {
	return &guardedListener{Listener: ln, max: max, refused: refused}
}

// Accept returns the next admitted connection.
func (l *guardedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if why := peerRefusal(c); why != "" {
			l.refused(c.RemoteAddr(), why)
			reset(c)
			continue
		}
		g := &guardedConn{Conn: c, l: l}
		l.mu.Lock()
		g.elem = l.pending.PushBack(g)
		var evict *guardedConn
		if l.pending.Len() > l.max {
			evict = l.pending.Remove(l.pending.Front()).(*guardedConn)
			evict.elem = nil
		}
		l.mu.Unlock()
		if evict != nil {
			reset(evict.Conn)
		}
		return g, nil
	}
}

func (l *guardedListener) forget(g *guardedConn) {
	l.mu.Lock()
	if g.elem != nil {
		l.pending.Remove(g.elem)
		g.elem = nil
	}
	l.mu.Unlock()
}

// guardedConn is an admitted connection. Until its request reaches the
// agent's handler it counts as pending, and nothing may be written to
// it: the only writes net/http makes on its own are error answers (a too
// long request, say), which would tell a page that something listens;
// such a connection is reset instead, as a closed port would be.
type guardedConn struct {
	net.Conn
	l       *guardedListener
	elem    *list.Element
	handled atomic.Bool
}

var errUnanswered = errors.New("agent: connection reset instead of an HTTP error answer")

func (g *guardedConn) Write(b []byte) (int, error) {
	if !g.handled.Load() {
		g.l.forget(g)
		reset(g.Conn)
		return 0, errUnanswered
	}
	return g.Conn.Write(b)
}

func (g *guardedConn) Close() error {
	g.l.forget(g)
	return g.Conn.Close()
}

// SetLinger reaches the TCP connection (drop resets through it).
func (g *guardedConn) SetLinger(sec int) error {
	if tc, ok := g.Conn.(*net.TCPConn); ok {
		return tc.SetLinger(sec)
	}
	return nil
}

// handle marks the connection's request as reaching the agent's handler.
func (g *guardedConn) handle() {
	g.handled.Store(true)
	g.l.forget(g)
}

type connKey struct{}

// withConn is the http.Server's ConnContext: the handler finds its
// connection in the request's context.
func withConn(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// handled marks the request's connection as served by the handler.
func handled(ctx context.Context) {
	if g, ok := ctx.Value(connKey{}).(*guardedConn); ok {
		g.handle()
	}
}

// reset closes c with a TCP reset.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}
