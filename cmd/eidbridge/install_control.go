package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/eidbridge/eidbridge/installer"
)

func runStart(_ context.Context, args []string) error {
	return control("start", args, (*installer.Installer).Start, "the agent is started")
}

func runStop(_ context.Context, args []string) error {
	return control("stop", args, (*installer.Installer).Stop, "the agent is stopped until your next login (or `eidbridge start`)")
}

func control(name string, args []string, do func(*installer.Installer) error, done string) error {
	if len(args) > 0 {
		fmt.Fprintf(os.Stderr, "usage: eidbridge %s\n", name)
		return errUsage
	}
	in, err := newInstaller(os.Stdout)
	if err != nil {
		return err
	}
	if err := do(in); err != nil {
		return err
	}
	fmt.Println(done)
	return nil
}

// runStatus prints whether the agent is installed for this user and
// running; it fails (exit 1) when it is not running, for scripts.
func runStatus(_ context.Context, args []string) error {
	if len(args) > 0 {
		fmt.Fprintln(os.Stderr, "usage: eidbridge status")
		return errUsage
	}
	in, err := newInstaller(os.Stdout)
	if err != nil {
		return err
	}
	st, err := in.Status()
	if err != nil {
		return err
	}
	if m := st.Manifest; m != nil {
		fmt.Printf("installed:  yes, version %s on %s (%s)\n", m.Version, m.InstalledAt.Local().Format("2006-01-02 15:04"), m.Exe)
	} else {
		fmt.Println("installed:  not by `eidbridge install` for this user (a package may have installed it for all users)")
	}
	fmt.Println("agent:     ", st.Service)
	if !st.Running {
		return errors.New("the agent is not running: start it with `eidbridge start`; `eidbridge doctor` says why it stopped")
	}
	return nil
}
