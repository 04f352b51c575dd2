package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

func init() {
	register(command{name: "demo", summary: "the token portal, the agent and a virtual eID in one process", run: runDemo})
}

const demoUsage = `usage: eidbridge demo [--addr 127.0.0.1:8443] [--service-addr 127.0.0.1:8444] [--agent-port 51950] [--auto-pin]
                     [--ui auto|native|terminal] [--pcsc] [--trust PEM]... [--applet 1.7|1.8] [--data DIR]
                     [--allow-origin ORIGIN]...

Runs, in one process until Ctrl-C: the federal token portal (the reference
website) on a loopback address, the eidbridge agent allowing exactly that
site, and a virtual Belgian eID card in an in-process reader. It prints the
URL to open and a walkthrough. Beside the portal, on --service-addr, runs
MyDemo, a government service that logs citizens in through the portal
(OpenID Connect), with the federal token or the eID.

  --ui         where the agent asks for consent and the PIN: auto (the
               default) shows windows where there is a display, else asks
               in this terminal
  --auto-pin   answer the virtual card's PIN and every consent automatically
               (CI, scripts); never for a real card
  --pcsc       use pcscd and the card in a real or vpcd reader instead of the
               in-process card (--trust adds CAs a real card chains to)
  --service-addr HOST:PORT
               where MyDemo, the demo's government service, listens (on
               loopback; when the default is taken, a free port)
  --data DIR   keep the card, the portal's database and its outbox in DIR
               (default: a temporary directory, removed at exit)
  --allow-origin ORIGIN
               let the agent serve another site too (repeatable), such as a
               Web eID test page, which reaches it through the eidbridge
               browser extension (docs/webeid.md)`

// demoFlags are the demo's settings.
type demoFlags struct {
	addr      string
	addrSet   bool // --addr given: a taken port is an error, not a fallback
	svcAddr   string
	svcSet    bool // --service-addr given: likewise
	agentPort int
	autoPIN   bool
	uiMode    string
	uiSet     bool
	pcsc      bool
	trust     pathsFlag
	applet    string
	appletSet bool
	data      string
	origins   pathsFlag // --allow-origin: further sites the agent serves
}

func parseDemoFlags(args []string) (demoFlags, error) {
	var f demoFlags
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, demoUsage) }
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8443", "portal address, on loopback")
	fs.StringVar(&f.svcAddr, "service-addr", "127.0.0.1:8444", "the demo government service's address, on loopback")
	fs.IntVar(&f.agentPort, "agent-port", agent.DefaultPort, "agent port (taken default: a free one; 0: any free one)")
	fs.BoolVar(&f.autoPIN, "auto-pin", false, "answer the virtual card's PIN and consents automatically")
	fs.StringVar(&f.uiMode, "ui", "auto", "agent dialogs: auto, native or terminal")
	fs.BoolVar(&f.pcsc, "pcsc", false, "use pcscd and the card in a reader")
	fs.Var(&f.trust, "trust", "PEM file of further trusted eID CAs (repeatable)")
	fs.StringVar(&f.applet, "applet", "1.8", "applet of the virtual card: 1.7 or 1.8")
	fs.StringVar(&f.data, "data", "", "data directory kept after exit (default: temporary)")
	fs.Var(&f.origins, "allow-origin", "another site the agent serves, e.g. a Web eID test page (repeatable)")
	if err := fs.Parse(args); err != nil {
		return f, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "eidbridge demo: unexpected argument %q\n%s\n", fs.Arg(0), demoUsage)
		return f, errUsage
	}
	fs.Visit(func(fl *flag.Flag) {
		f.addrSet = f.addrSet || fl.Name == "addr"
		f.svcSet = f.svcSet || fl.Name == "service-addr"
		f.uiSet = f.uiSet || fl.Name == "ui"
		f.appletSet = f.appletSet || fl.Name == "applet"
	})
	return f, f.check()
}

// check refuses settings the demo cannot honour, before anything starts.
func (f demoFlags) check() error {
	if _, err := appletByte(f.applet); err != nil {
		return err
	}
	if f.autoPIN && f.uiSet {
		return errors.New("--auto-pin and --ui exclude each other: --auto-pin is the UI that answers by itself")
	}
	if f.uiMode != "auto" && f.uiMode != "native" && f.uiMode != "terminal" {
		return fmt.Errorf("--ui %q: want auto, native or terminal", f.uiMode)
	}
	if _, err := agent.NewAllowlist(f.origins); err != nil {
		return fmt.Errorf("--allow-origin: %w", err)
	}
	if f.agentPort < 0 || f.agentPort > 65535 {
		return fmt.Errorf("--agent-port %d: want 0 to 65535", f.agentPort)
	}
	if err := checkLoopbackAddr("--addr", f.addr,
		"the agent accepts a plain-http site only there, and the mailbox page shows everybody's codes"); err != nil {
		return err
	}
	return checkLoopbackAddr("--service-addr", f.svcAddr,
		"the portal sends citizens back to a plain-http service only there")
}

// checkLoopbackAddr refuses an address off loopback, saying why.
func checkLoopbackAddr(flag, addr, why string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s %q: want HOST:PORT: %w", flag, addr, err)
	}
	if !loopbackHost(host) {
		return fmt.Errorf("%s %q: the demo serves on loopback only (127.0.0.1, ::1 or localhost): %s", flag, addr, why)
	}
	return nil
}

func loopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
}

func runDemo(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == answerVerb {
		return runAnswer(args[1:])
	}
	f, err := parseDemoFlags(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log) // the UI implementations log through the default
	// The UI first: without a way to ask the citizen, nothing else is worth starting.
	var dialogs ui.UI
	if !f.autoPIN {
		if dialogs, err = demoDialogs(&f, os.Stderr); err != nil {
			return err
		}
	}
	dir, cleanup, err := demoDataDir(f.data)
	if err != nil {
		return err
	}
	defer cleanup()
	d, err := prepareDemo(f, dir, log)
	if err != nil {
		return err
	}
	if f.autoPIN {
		if dialogs, err = autoPINUI(d, log); err != nil {
			return err
		}
	}
	return d.serve(ctx, dialogs)
}

// noDialogs explains what to do where the agent cannot show its dialogs.
// It never falls back to answering the PIN: that takes --auto-pin.
func noDialogs(err error) error {
	ci := ""
	if os.Getenv("CI") != "" {
		ci = "on CI, "
	}
	return fmt.Errorf("%w. The agent cannot ask for the PIN here: %srun `eidbridge demo --auto-pin` "+
		"(make demo DEMO_FLAGS=--auto-pin), which answers the virtual card's PIN by itself", err, ci)
}

// demoDataDir is DIR, created when needed and kept, or a temporary
// directory removed by cleanup.
func demoDataDir(dir string) (string, func(), error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", nil, fmt.Errorf("--data: %w", err)
		}
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "eidbridge-demo-")
	if err != nil {
		return "", nil, fmt.Errorf("temporary data directory: %w", err)
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}
