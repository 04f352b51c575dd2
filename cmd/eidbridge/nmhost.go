package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"

	"github.com/eidbridge/eidbridge/nmhost"
)

func init() {
	register(command{name: "nm-host", summary: "native-messaging host for the browser extensions; install|uninstall", run: runNMHost})
}

const nmHostUsage = `usage:
  eidbridge nm-host install [--browser NAME]... [--chrome-id ID]... [--firefox-id ID]... [--binary PATH]
  eidbridge nm-host uninstall [--browser NAME]...
  eidbridge nm-host install --webeid [--browser NAME]... [--binary PATH]
  eidbridge nm-host uninstall --webeid [--browser NAME]...
  eidbridge nm-host                     (started by the browser, not by hand)

install registers this program with Chrome, Chromium, Edge, Brave and Firefox
(for this user) as the native-messaging host be.eidbridge.nm of the eidbridge
extension; uninstall removes that. Started by the browser, it relays the
extension's messages to the running agent (eidbridge run) with the page's
origin as the browser reported it, proving with the per-user relay key that it
runs as the agent's user, or answers the extension's origins query with the
configuration file's allowlist.

With --webeid, install makes this program the Web eID native application
(eu.webeid) for this user: websites that use Web eID then reach the agent, and
its dialogs, through the official Web eID extension, in place of web-eid-app.
What was registered for this user before is kept beside it (.eidbridge-backup),
and uninstall --webeid puts it back.`

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
	cfg, _, err := loadConfigFile("")
	opts := nmhost.Options{Version: version, Config: cfg, ConfigErr: err,
		Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	return nmhost.Serve(ctx, args, opts, os.Stdin, os.Stdout)
}

// repeated is a repeatable string flag.
type repeated []string

func (r *repeated) String() string     { return fmt.Sprint(*r) }
func (r *repeated) Set(s string) error { *r = append(*r, s); return nil }

func runNMInstall(args []string, install bool) error {
	fs := flag.NewFlagSet("nm-host", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, nmHostUsage) }
	var browsers, chromeIDs, firefoxIDs repeated
	fs.Var(&browsers, "browser", "chrome, chromium, edge, brave or firefox (repeatable; default all)")
	fs.Var(&chromeIDs, "chrome-id", "allowed Chromium extension ID (repeatable; default the eidbridge extension's)")
	fs.Var(&firefoxIDs, "firefox-id", "allowed Firefox add-on ID (repeatable; default "+nmhost.FirefoxID+")")
	binary := fs.String("binary", "", "the eidbridge program browsers start (default: this one)")
	webeid := fs.Bool("webeid", false, "register as the Web eID native application (eu.webeid) instead")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *webeid && (len(chromeIDs) > 0 || len(firefoxIDs) > 0) {
		return errUsage
	}
	plat, err := nmhost.CurrentPlatform(runtime.GOOS)
	if err != nil {
		return err
	}
	if install && *binary == "" {
		if *binary, err = thisProgram(); err != nil {
			return err
		}
	}
	var in interface {
		Install(io.Writer) error
		Uninstall(io.Writer) error
	} = nmhost.Installer{Platform: plat, Binary: *binary, Browsers: browsers, ChromeIDs: chromeIDs,
		FirefoxIDs: firefoxIDs, Registry: nmhost.SystemRegistry()}
	if *webeid {
		in = nmhost.WebEIDInstaller{Platform: plat, Binary: *binary, Browsers: browsers, Registry: nmhost.SystemRegistry()}
	}
	if install {
		return in.Install(os.Stdout)
	}
	return in.Uninstall(os.Stdout)
}

// thisProgram is the running executable, symlinks resolved, so the
// launcher keeps working from wherever a package manager links it.
func thisProgram() (string, error) {
	p, err := os.Executable()
	if err == nil {
		p, err = filepath.EvalSymlinks(p)
	}
	if err != nil {
		return "", fmt.Errorf("finding this program (give --binary): %w", err)
	}
	return p, nil
}
