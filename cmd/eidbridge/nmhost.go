package main

import (
	"bytes"
	"context"
	"encoding/json"
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

func init() {
	register(command{name: "nm-host", summary: "native-messaging host for the browser extension; install|uninstall", run: runNMHost})
}

const nmHostUsage = `usage:
  eidbridge nm-host install [--browser NAME]... [--chrome-id ID]... [--firefox-id ID]... [--binary PATH]
  eidbridge nm-host uninstall [--browser NAME]...
  eidbridge nm-host                     (started by the browser, not by hand)

install registers this program with Chrome, Chromium, Edge, Brave and Firefox
(for this user) as the native-messaging host be.eidbridge.nm of the eidbridge
extension; uninstall removes that. Started by the browser, it relays the
extension's messages to the running agent (eidbridge run) with the page's
origin as the browser reported it, proving with the per-user relay key that it
runs as the agent's user, or answers the extension's origins query with the
configuration file's allowlist.`

func runNMHost(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "install":
			return runNMInstall(args[1:], true)
		case "uninstall":
			return runNMInstall(args[1:], false)
		case "-h", "--help", "help":
			fmt.Fprintln(os.Stderr, nmHostUsage)
			return errUsage
		}
	}
	// Browsers pass the caller: chrome-extension://ID/ (and on Windows
	// --parent-window=N) or, for Firefox, the manifest path and add-on ID.
	// The host manifest already limits who may start us; they are logged.
	log := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("component", "nm-host")
	cfg, _, err := loadConfigFile("")
	if err != nil {
		log.Error("reading the agent's configuration", "err", err)
	}
	keyPath, kerr := agent.RelayKeyPath()
	log.Debug("started by the browser", "args", args)
	h := nmHost{ports: agentPorts(cfg.Port, log), allowed: configuredOrigins(cfg, err), keyPath: keyPath, keyErr: kerr, log: log}
	return h.serve(ctx, os.Stdin, os.Stdout)
}

// nmHost relays one extension port to the agent.
type nmHost struct {
	ports   []int    // where to look for the agent, in order
	allowed []string // the configured allowlist, for the origins query
	keyPath string
	keyErr  error // finding keyPath failed
	log     *slog.Logger
}

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
func (h nmHost) serve(ctx context.Context, in io.Reader, out io.Writer) error {
	origin, query, err := readHello(in)
	if err != nil {
		return err
	}
	if query {
		return writeOrigins(out, h.allowed)
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

// dial connects to the agent on the first port that accepts the relay;
// refused says whether an agent refused the origin on one of them.
func (h nmHost) dial(ctx context.Context, origin string) (*websocket.Conn, bool, error) {
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

// readHello reads the extension's first message, strictly either
// {"origin": O} with O a canonical web origin, or {"query": "origins"}.
func readHello(in io.Reader) (origin string, query bool, err error) {
	msg, err := readFrame(in, 4096)
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
	return writeFrame(out, b)
}
