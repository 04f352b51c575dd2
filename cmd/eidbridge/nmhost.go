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
runs as the agent's user.`

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
	h := nmHost{ports: agentPorts(cfg.Port, log), keyPath: keyPath, keyErr: kerr, log: log}
	return h.serve(ctx, os.Stdin, os.Stdout)
}

// nmHost relays one extension port to the agent.
type nmHost struct {
	ports   []int // where to look for the agent, in order
	keyPath string
	keyErr  error // finding keyPath failed
	log     *slog.Logger
}

// hostStatus is the host's own message to the extension; agent messages
// never have a "relay" member.
type hostStatus struct {
	Relay struct {
		Status string `json:"status"` // "ready" or "unavailable"
	} `json:"relay"`
}

// serve reads the extension's hello (the origin), connects to the agent
// as its relay and then copies messages both ways until either side ends.
// When the agent cannot be reached it says "unavailable" and returns
// nil: the page learns only that, never why (not running, or refused).
func (h nmHost) serve(ctx context.Context, in io.Reader, out io.Writer) error {
	origin, err := readHello(in)
	if err != nil {
		return err
	}
	ws, err := h.dial(ctx, origin)
	if err != nil {
		h.log.Warn("the agent is not available", "origin", origin, "err", err)
		return writeStatus(out, "unavailable")
	}
	defer ws.Close()
	if err := writeStatus(out, "ready"); err != nil {
		return err
	}
	h.log.Info("relaying", "origin", origin)
	return relayFrames(ws, in, out)
}

func (h nmHost) dial(ctx context.Context, origin string) (*websocket.Conn, error) {
	if h.keyErr != nil {
		return nil, h.keyErr
	}
	key, err := agent.EnsureRelayKey(h.keyPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var errs []error
	for _, port := range h.ports {
		ws, err := agent.DialRelay(ctx, port, key, origin)
		if err == nil {
			return ws, nil
		}
		errs = append(errs, fmt.Errorf("port %d: %w", port, err))
	}
	return nil, errors.Join(errs...)
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

// readHello reads the extension's first message, strictly {"origin": O}
// with O a canonical web origin.
func readHello(in io.Reader) (string, error) {
	msg, err := readFrame(in, 4096)
	if err != nil {
		return "", fmt.Errorf("reading the extension's hello: %w", err)
	}
	var hello struct {
		Origin *string `json:"origin"`
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&hello); err != nil || !isJSONObject(msg) || hello.Origin == nil {
		return "", fmt.Errorf("the extension's hello is not {\"origin\": ORIGIN}: %.80q", msg)
	}
	o, err := agent.ParseOrigin(*hello.Origin)
	if err != nil || o.String() != *hello.Origin {
		return "", fmt.Errorf("the extension's hello: %q is not a canonical origin", *hello.Origin)
	}
	return *hello.Origin, nil
}

func writeStatus(out io.Writer, status string) error {
	var s hostStatus
	s.Relay.Status = status
	b, _ := json.Marshal(s)
	return writeFrame(out, b)
}
