// Package agent is the eidbridge agent: a websocket service on the
// loopback interface through which allowed websites ask the citizen's
// Belgian eID card to authenticate, to read identity data and to sign,
// always behind the agent's own dialog.
//
// The protocol (message shapes, operations, error codes; protocol.go,
// errors.go, op_*.go) is kept apart from the transport (listener,
// handshake, framing, limits; listen.go, handshake.go, conn*.go), as
// docs/protocol.md describes them. Cards are reached through the Cards
// seam and the citizen through ui.UI, so tests run the whole agent over
// the in-process virtual card with a scripted UI.
package agent

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eidbridge/eidbridge/eid"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent/ui"
)

// Options configure a Server. Cards, UI and Origins are required.
type Options struct {
	Cards   Cards
	UI      ui.UI
	Origins *Allowlist
	// UserTimeout bounds each dialog; DefaultUserTimeout when zero.
	UserTimeout time.Duration
	Logger      *slog.Logger // discards when nil
	Audit       *Audit       // records nothing when nil
	Version     string       // agent version, for version and appVersion
	Limits      Limits
	Now         func() time.Time // time.Now when nil
	// RelayKeyFile is the key the native-messaging relay proves itself
	// with (relay.go); RelayKeyPath() when empty.
	RelayKeyFile string
	// ReaderKey makes the per-site reader handles (ReaderHandle); a
	// random key per run when nil.
	ReaderKey []byte
	// RelayOnly turns the websocket path for pages off: only the
	// browser extension's relay (which proves itself) is served.
	RelayOnly bool
	// FirstContact, when set, lets https sites outside Origins ask the
	// citizen (contact.go); nil refuses them silently.
	FirstContact *FirstContact
}

// Limits protect the agent from a hostile or broken page.
type Limits struct {
	MaxConns     int           // open connections; default 1024
	MaxPerOrigin int           // open connections of one site; default 32
	MaxPending   int           // accepted connections before their handshake; default 64
	Rate         float64       // sustained requests per second per connection; default 10
	Burst        int           // requests a connection may send at once; default 20
	SendQueue    int           // queued outgoing messages per connection; default 16
	WriteTimeout time.Duration // per outgoing message; default 10s
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxConns, 1024)
	def(&l.MaxPerOrigin, 32)
	def(&l.MaxPending, 64)
	def(&l.Burst, 20)
	def(&l.SendQueue, 16)
	if l.Rate <= 0 {
		l.Rate = 10
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = 10 * time.Second
	}
	return l
}

// Server is the agent. Create it with New and run it with Serve.
type Server struct {
	opts     Options
	log      *slog.Logger
	hub      *hub
	upgrader websocket.Upgrader

	base     context.Context // parent of every connection; ends at shutdown
	stop     context.CancelCauseFunc
	cardMu   sync.Mutex // held by the one running card operation or first-contact dialog
	ops      sync.WaitGroup
	conns    atomic.Int64
	nextConn atomic.Uint64
	refusals *refusalAudit // refused handshakes in the audit log, throttled
	certs    eid.CertCache // citizen certificates by chip serial: no re-reads
	sites    siteLimits    // connections and dialog back-off per origin
}

// New checks opts and builds a Server.
func New(opts Options) (*Server, error) {
	if opts.Cards == nil || opts.UI == nil || opts.Origins == nil {
		return nil, errors.New("agent: Options need Cards, UI and Origins")
	}
	if opts.UserTimeout <= 0 {
		opts.UserTimeout = DefaultUserTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	opts.Limits = opts.Limits.withDefaults()
	if opts.ReaderKey == nil {
		opts.ReaderKey = newReaderKey()
	}
	s := &Server{opts: opts, log: opts.Logger, hub: newHub(opts.Logger, opts.ReaderKey), refusals: newRefusalAudit(),
		sites: newSiteLimits(opts.Limits.MaxPerOrigin)}
	s.base, s.stop = context.WithCancelCause(context.Background())
	s.upgrader = websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		ReadBufferSize:   1024, // small, and the HTTP server's 4 KiB reader goes with the handshake (ServeHTTP)
		WriteBufferSize:  1024,
		WriteBufferPool:  &sync.Pool{},                             // idle connections hold no write buffer
		CheckOrigin:      func(*http.Request) bool { return true }, // checked before Upgrade
		Error:            func(w http.ResponseWriter, _ *http.Request, _ int, _ error) { drop(w) },
	}
	return s, nil
}

// Serve runs the agent on lns until ctx ends, then shuts down: the
// listeners close, every connection gets a 1001 close, a pending dialog
// is cancelled, and Serve returns once the running card operation has
// finished. It returns early with an error if a listener fails. A
// Server serves once: after Serve returns it stays shut down.
func (s *Server) Serve(ctx context.Context, lns ...net.Listener) error {
	hubDone := make(chan struct{})
	go func() { defer close(hubDone); s.hub.run(s.base, s.opts.Cards) }()
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		ConnContext:       withConn,
	}
	srv.SetKeepAlivesEnabled(false) // one request a connection: every answer is a websocket or a reset
	errc := make(chan error, len(lns))
	for _, ln := range lns {
		g := newGuardedListener(ln, s.opts.Limits.MaxPending, s.peerRefused)
		go func() { errc <- srv.Serve(g) }()
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	s.shutdown(srv)
	<-hubDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// shutdown stops accepting, ends every connection and waits for the
// card operation.
func (s *Server) shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(ctx) // hijacked websockets are not its business
	for _, c := range s.hub.all() {
		c.goAway()
	}
	s.stop(errShutdown) // and any connection that was still being set up
	s.ops.Wait()
	s.log.Info("eidbridge agent stopped")
}

// ServeHTTP admits a websocket handshake or refuses it with a bare status.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	handled(r.Context())
	origin, relay, why := s.admitAny(r)
	if why != "" {
		s.log.Info("refused a connection", "reason", why, "origin", logValue(r.Header.Get("Origin")),
			"host", logValue(r.Host), "remote", r.RemoteAddr)
		s.refusals.record(s.opts.Audit, claimedOrigin(r), s.opts.Now())
		drop(w)
		return
	}
	if n := s.conns.Add(1); n > int64(s.opts.Limits.MaxConns) {
		s.conns.Add(-1)
		s.log.Warn("refused a connection: too many open", "origin", origin.String(), "max", s.opts.Limits.MaxConns)
		drop(w)
		return
	}
	if !s.sites.open(origin.String()) {
		s.conns.Add(-1)
		s.log.Warn("refused a connection: too many open for this site", "origin", origin.String(),
			"max", s.opts.Limits.MaxPerOrigin)
		drop(w)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.sites.closed(origin.String())
		s.conns.Add(-1)
		s.log.Debug("websocket handshake failed", "err", err, "origin", origin.String())
		return
	}
	// The read loop gets a goroutine of its own so that this handler
	// returns: the HTTP server's connection state (its 4 KiB buffers, the
	// request and its headers, a deep stack) would otherwise stay alive
	// as long as the websocket, tripling an idle connection's heap.
	go func() {
		defer s.conns.Add(-1)
		defer s.sites.closed(origin.String())
		if s.proveRelay(ws, relay) {
			newConn(s, ws, origin).serve()
		}
	}()
}

// peerRefused logs and audits a connection refused before its request.
func (s *Server) peerRefused(remote net.Addr, why string) {
	s.log.Warn("refused a connection", "reason", why, "remote", remote.String())
	s.refusals.record(s.opts.Audit, "(another user's process)", s.opts.Now())
}

// claimedOrigin is the page's Origin header, or for the extension's relay
// the origin the browser gave it (unproven until the relay is).
func claimedOrigin(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" || r.Header.Get(RelayHeader) == "" {
		return o
	}
	return "relay: " + r.Header.Get(RelayOriginHeader)
}

// drop ends a refused request without an HTTP answer, resetting the
// connection: to a page, the agent then looks like a closed port (its
// fetch or websocket fails as it would there), so a scanning page cannot
// tell that eidbridge runs. docs/security.md says what timing still
// tells.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	c, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if l, ok := c.(interface{ SetLinger(int) error }); ok {
		l.SetLinger(0) // RST, as a closed port answers
	}
	c.Close()
}
