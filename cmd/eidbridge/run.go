package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/endpoint"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/pcsc"
)

func init() {
	register(command{name: "run", summary: "run the agent that allowed websites talk to", run: runAgent})
}

const runUsage = `usage: eidbridge run [--config FILE] [--port N] [--allow-origin ORIGIN]...
                    [--ui native|terminal|exec:COMMAND] [--log-level debug|info|warn|error]

Runs the agent in the foreground until interrupted: a websocket service on
ws://127.0.0.1:PORT/v1 (and [::1]) for the websites in the allowlist.
Settings come from the configuration file (default: the user's config
directory, eidbridge/config.json); flags override it, and --allow-origin
replaces the file's allowlist. Logs go to stderr; the audit log to the
user's state directory.`

// runFlags are the command-line overrides; nil or empty means "use the
// file".
type runFlags struct {
	config   string
	port     int
	origins  []string
	uiMode   string
	logLevel string
	set      map[string]bool
}

func parseRunFlags(args []string) (runFlags, error) {
	var f runFlags
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, runUsage) }
	fs.StringVar(&f.config, "config", "", "configuration file")
	fs.IntVar(&f.port, "port", 0, "loopback port")
	fs.Func("allow-origin", "allowed origin or pattern (repeatable; replaces the file's list)", func(s string) error {
		f.origins = append(f.origins, s)
		return nil
	})
	fs.StringVar(&f.uiMode, "ui", "", "native, terminal or exec:COMMAND")
	fs.StringVar(&f.logLevel, "log-level", "", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return f, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "eidbridge run: unexpected argument %q\n%s\n", fs.Arg(0), runUsage)
		return f, errUsage
	}
	f.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	return f, nil
}

// configFor loads the configuration and applies the flags over it.
func configFor(f runFlags) (agent.Config, error) {
	cfg, _, err := configAndPath(f)
	return cfg, err
}

// configAndPath is configFor with the configuration file's path.
func configAndPath(f runFlags) (agent.Config, string, error) {
	cfg, path, err := loadConfigFile(f.config)
	if err != nil {
		return cfg, path, err
	}
	if f.set["port"] {
		cfg.Port = f.port
	}
	if f.set["allow-origin"] {
		cfg.AllowedOrigins = f.origins
	}
	if f.set["ui"] {
		cfg.UI = f.uiMode
	}
	if f.set["log-level"] {
		cfg.LogLevel = f.logLevel
	}
	return cfg, path, cfg.Validate()
}

func runAgent(ctx context.Context, args []string) error {
	f, err := parseRunFlags(args)
	if err != nil {
		return err
	}
	cfg, path, err := configAndPath(f)
	if err != nil {
		return err
	}
	level, _ := agent.ParseLogLevel(cfg.LogLevel)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(log) // the UI implementations log through the default
	return serveAgent(ctx, cfg, sitesPath(path), log)
}

// serveAgent builds the agent from cfg, with the citizen's answers to
// other sites in sites, and serves until ctx ends.
func serveAgent(ctx context.Context, cfg agent.Config, sites string, log *slog.Logger) error {
	allow, err := agent.NewAllowlist(cfg.AllowedOrigins)
	if err != nil {
		return err
	}
	dialogs, err := ui.New(cfg.UI)
	if err != nil {
		return err
	}
	audit, auditPath, err := openAudit()
	if err != nil {
		return err
	}
	defer audit.Close()
	pc, err := pcsc.NewContext()
	if err != nil {
		return err
	}
	defer pc.Close()
	lns, err := agent.Listen(cfg.Port)
	if err != nil {
		return err
	}
	unpublish := publishEndpoint(lns[0].Addr().(*net.TCPAddr).Port, log)
	defer unpublish()
	contact, err := firstContact(cfg, sites)
	if err != nil {
		return err
	}
	srv, err := agent.New(agent.Options{Cards: agent.NewPCSCCards(pc), UI: dialogs, Origins: allow,
		UserTimeout: cfg.UserTimeout.Std(), Logger: log, Audit: agent.NewAudit(audit), Version: version,
		RelayOnly: cfg.RelayOnly, FirstContact: contact})
	if err != nil {
		return err
	}
	log.Info("eidbridge agent listening", "url", fmt.Sprintf("ws://127.0.0.1:%d%s", cfg.Port, agent.Path),
		"origins", strings.Join(allow.Patterns(), " "), "ui", cfg.UI, "audit", auditPath)
	return srv.Serve(ctx, lns...)
}

// firstContact reads the citizen's answers to sites outside the
// allowlist, unless the configuration turns such questions off.
func firstContact(cfg agent.Config, sites string) (*agent.FirstContact, error) {
	if !cfg.AsksNewSites() {
		return nil, nil
	}
	return agent.NewFirstContact(sites)
}

// publishEndpoint tells the browser's relay (nm-host) the port in use; a
// failure only costs the extension path when --port differs from the
// configuration, so it is logged, not fatal.
func publishEndpoint(port int, log *slog.Logger) (unpublish func()) {
	path, err := agent.EndpointPath()
	if err == nil {
		unpublish, err = endpoint.Publish(path, port)
	}
	if err != nil {
		log.Warn("the browser extension may not find this agent", "err", err)
		return func() {}
	}
	return unpublish
}

// openAudit opens the audit log in the user's state directory.
func openAudit() (*os.File, string, error) {
	dir, err := agent.StateDir()
	if err != nil {
		return nil, "", err
	}
	f, err := agent.OpenAuditLog(dir)
	if err != nil {
		return nil, "", err
	}
	return f, f.Name(), nil
}
