package main

import (
	"context"
	"errors"
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
  eidbridge nm-host install --webeid [--browser NAME]... [--extension-id ID]... [--binary PATH]
  eidbridge nm-host uninstall --webeid [--browser NAME]...
  eidbridge nm-host [--webeid] ARGS...  (started by the browser, not by hand)

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
--extension-id (repeatable, 32 letters a to p) also lets a self-built or
re-signed Web eID extension start it in Chromium browsers. What was registered
for this user before is kept beside it (.eidbridge-backup), and uninstall
--webeid puts it back. The launcher it writes starts nm-host --webeid, which
speaks the Web eID protocol to whichever extension the browser let start it.`

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
	// The browser's arguments, after --webeid when the eu.webeid launcher
	// started us: nmhost.Serve reads both.
	cfg, _, err := loadConfigFile("")
	opts := nmhost.Options{Version: version, Config: cfg, ConfigErr: err,
		Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	return nmhost.Serve(ctx, args, opts, os.Stdin, os.Stdout)
}

// nmInstallFlags are install's and uninstall's options.
type nmInstallFlags struct {
	browsers, chromeIDs, firefoxIDs, extensionIDs stringsFlag
	binary                                        string
	webeid                                        bool
}

func runNMInstall(args []string, install bool) error {
	f, err := parseNMInstall(args, install)
	if err != nil {
		return err
	}
	plat, err := nmhost.CurrentPlatform(runtime.GOOS)
	if err != nil {
		return err
	}
	if install && f.binary == "" {
		if f.binary, err = thisProgram(); err != nil {
			return err
		}
	}
	in := f.installer(plat)
	if install {
		return in.Install(os.Stdout)
	}
	return in.Uninstall(os.Stdout)
}

// parseNMInstall reads the flags; a wrong one or a wrong combination is
// a usage error, said in one line first.
func parseNMInstall(args []string, install bool) (nmInstallFlags, error) {
	var f nmInstallFlags
	fs := flag.NewFlagSet("nm-host", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, nmHostUsage) }
	fs.Var(&f.browsers, "browser", "chrome, chromium, edge, brave or firefox (repeatable; default all)")
	fs.Var(&f.chromeIDs, "chrome-id", "allowed Chromium extension ID (repeatable; default the eidbridge extension's)")
	fs.Var(&f.firefoxIDs, "firefox-id", "allowed Firefox add-on ID (repeatable; default "+nmhost.FirefoxID+")")
	fs.Var(&f.extensionIDs, "extension-id", "with --webeid: a Chromium Web eID extension ID allowed besides the published ones (repeatable)")
	fs.StringVar(&f.binary, "binary", "", "the eidbridge program browsers start (default: this one)")
	fs.BoolVar(&f.webeid, "webeid", false, "register as the Web eID native application (eu.webeid) instead")
	if err := fs.Parse(args); err != nil {
		return f, errUsage
	}
	err := f.check(install)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "eidbridge nm-host: %v (see eidbridge nm-host --help)\n", err)
		return f, errUsage
	}
	return f, nil
}

// check refuses the flags that belong to the other registration or
// verb, rather than ignore them.
func (f nmInstallFlags) check(install bool) error {
	switch {
	case f.webeid && (len(f.chromeIDs) > 0 || len(f.firefoxIDs) > 0):
		return errors.New("--chrome-id and --firefox-id are the eidbridge extension's; with --webeid, allow another Web eID extension with --extension-id")
	case len(f.extensionIDs) > 0 && !f.webeid:
		return errors.New("--extension-id allows a Web eID extension and needs --webeid; the eidbridge extension's own IDs are --chrome-id")
	case len(f.extensionIDs) > 0 && !install:
		return errors.New("--extension-id is for install: uninstall --webeid removes the whole registration")
	}
	return nil
}

// nmInstaller is the registration install and uninstall change.
type nmInstaller interface {
	Install(io.Writer) error
	Uninstall(io.Writer) error
}

func (f nmInstallFlags) installer(plat nmhost.Platform) nmInstaller {
	if f.webeid {
		return nmhost.WebEIDInstaller{Platform: plat, Binary: f.binary, Browsers: f.browsers,
			ExtensionIDs: f.extensionIDs, Registry: nmhost.SystemRegistry()}
	}
	return nmhost.Installer{Platform: plat, Binary: f.binary, Browsers: f.browsers, ChromeIDs: f.chromeIDs,
		FirefoxIDs: f.firefoxIDs, Registry: nmhost.SystemRegistry()}
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
