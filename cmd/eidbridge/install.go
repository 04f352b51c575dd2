package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/installer"
)

func init() {
	register(command{name: "install", summary: "set the agent up to start at each of your logins", run: runInstall})
	register(command{name: "uninstall", summary: "remove what install set up", run: runUninstall})
	register(command{name: "start", summary: "start the installed agent now", run: runStart})
	register(command{name: "stop", summary: "stop the agent until your next login", run: runStop})
	register(command{name: "status", summary: "is the agent installed and running?", run: runStatus})
}

const installUsage = `usage: eidbridge install [--user]

Sets eidbridge up for you (--user, the only mode): the agent starts at each
of your logins (Linux: a systemd user unit; macOS: a LaunchAgent; Windows:
the Run key), the native-messaging hosts are registered for your browsers,
and a default configuration is written unless you have one. Installing
again, or over an older version, repairs or upgrades the installation.
For all users of a computer, install the .deb, .rpm or .msi package.`

func runInstall(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, installUsage) }
	user := fs.Bool("user", true, "install for the current user")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if !*user {
		return fmt.Errorf("an installation for all users comes from the packages (.deb, .rpm, .msi): see docs/install.md")
	}
	if runtime.GOOS != "windows" && os.Geteuid() == 0 {
		fmt.Fprintln(os.Stderr, "eidbridge install: note: installing for root; the agent will run in root's logins only "+
			"(for all users, install the package)")
	}
	in, err := newInstaller(os.Stdout)
	if err != nil {
		return err
	}
	notes, err := in.Install(ctx)
	printNotes(notes)
	if err != nil {
		return err
	}
	if _, err := agent.LoadConfig(in.Layout.ConfigPath); err != nil {
		fmt.Printf("note: the agent will not start until its configuration is fixed: %v\n", err)
	}
	fmt.Println("eidbridge is installed: the agent starts at each of your logins. Check everything with `eidbridge doctor`.")
	return nil
}

func runUninstall(ctx context.Context, args []string) error {
	if len(args) > 0 {
		fmt.Fprintln(os.Stderr, "usage: eidbridge uninstall")
		return errUsage
	}
	in, err := newInstaller(os.Stdout)
	if err != nil {
		return err
	}
	notes, err := in.Uninstall(ctx)
	printNotes(notes)
	if err != nil {
		return err
	}
	fmt.Println("eidbridge is uninstalled for you (the binary itself and your audit log stay).")
	return nil
}

// userLayout is the installation layout for this binary and user, with
// the agent's own paths.
func userLayout() (installer.Layout, error) {
	exe, err := os.Executable()
	if err != nil {
		return installer.Layout{}, fmt.Errorf("finding this program: %w", err)
	}
	cfgPath, err := agent.ConfigPath()
	if err != nil {
		return installer.Layout{}, err
	}
	stateDir, err := agent.StateDir()
	if err != nil {
		return installer.Layout{}, err
	}
	port := agent.DefaultPort
	if cfg, err := agent.LoadConfig(cfgPath); err == nil {
		port = cfg.Port
	}
	return installer.DefaultLayout(exe, cfgPath, stateDir, port)
}

// newInstaller is the installer for this binary and user, with the
// native-messaging hook.
func newInstaller(log *os.File) (*installer.Installer, error) {
	l, err := userLayout()
	if err != nil {
		return nil, err
	}
	def, err := json.MarshalIndent(agent.DefaultConfig(), "", "  ")
	if err != nil {
		return nil, err
	}
	in, err := installer.New(l, version, append(def, '\n'))
	if err != nil {
		return nil, err
	}
	in.Log = log
	in.Hooks = nativeMessagingHooks()
	return in, nil
}

func printNotes(notes []string) {
	for _, n := range notes {
		fmt.Println("note:", n)
	}
}
