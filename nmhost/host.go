package nmhost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/gorilla/websocket"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/endpoint"
)

// Options are what the browser's host needs to know of its installation.
type Options struct {
	Version   string       // eidbridge's version
	Config    agent.Config // the agent's configuration file, as loaded
	ConfigErr error        // loading it failed (Config is then the defaults)
	Log       *slog.Logger
}

// Serve is the host the browser started with args, on in and out: the
// Web eID native application when the eu.webeid registration's launcher
// started it (args begin with WebEIDMarker, see WebEIDInstaller) or,
// without the marker, when the official Web eID extension did; the
// eidbridge extension's relay otherwise.
func Serve(ctx context.Context, args []string, opts Options, in io.Reader, out io.Writer) error {
	// Browsers pass the caller: chrome-extension://ID/ (and on Windows
	// --parent-window=N) or, for Firefox, the manifest path and add-on ID.
	// The host manifest already limits who may start us; they are logged.
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	log := opts.Log.With("component", "nm-host")
	webEID, why, args := chooseWebEID(args)
	log.Debug("started by the browser", "args", args)
	if opts.ConfigErr != nil {
		log.Error("reading the agent's configuration", "err", opts.ConfigErr)
	}
	keyPath, kerr := agent.RelayKeyPath()
	h := host{ports: agentPorts(opts.Config.Port, log), allowed: configuredOrigins(opts.Config, opts.ConfigErr),
		asks: opts.ConfigErr == nil && opts.Config.AsksNewSites(), keyPath: keyPath, keyErr: kerr,
		version: opts.Version, log: log}
	if webEID {
		// Said at Info: which protocol a start got is the first thing to
		// know when an extension reports the application unavailable.
		log.Info("speaking the Web eID protocol", "caller", callerOf(args), "because", why)
		return h.serveWebEID(ctx, in, out)
	}
	return h.serve(ctx, in, out)
}

// host relays one extension port to the agent.
type host struct {
	ports   []int    // where to look for the agent, in order
	allowed []string // the configured allowlist, for the origins query
	asks    bool     // the configuration lets sites outside it ask
	keyPath string
	keyErr  error  // finding keyPath failed
	version string // eidbridge's, for the Web eID version message
	log     *slog.Logger
}

// dial connects to the agent on the first port that accepts the relay;
// refused says whether an agent refused the origin on one of them.
func (h host) dial(ctx context.Context, origin string) (*websocket.Conn, bool, error) {
	if h.keyErr != nil {
		return nil, false, h.keyErr
	}
	key, err := agent.EnsureRelayKey(h.keyPath)
	if err != nil {
		return nil, false, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var errs []error
	refused := false
	for _, port := range h.ports {
		ws, err := agent.DialRelay(ctx, port, key, origin)
		if err == nil {
			return ws, false, nil
		}
		refused = refused || refusedOrigin(err)
		errs = append(errs, fmt.Errorf("port %d: %w", port, err))
	}
	return nil, refused, errors.Join(errs...)
}

// agentPorts is the port the running agent published (see
// endpoint.Publish), then the configured one. A stale file from an
// agent that crashed only costs one refused connection.
func agentPorts(configured int, log *slog.Logger) []int {
	path, err := agent.EndpointPath()
	if err == nil {
		var e endpoint.Endpoint
		if e, err = endpoint.Read(path); err == nil && e.Port != configured {
			return []int{e.Port, configured}
		}
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		log.Warn("ignoring the agent's published port", "err", err)
	}
	return []int{configured}
}
