package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/eidbridge/eidbridge/installer/doctor"
	"github.com/eidbridge/eidbridge/nmhost"
)

func init() {
	register(command{name: "doctor", summary: "check everything eidbridge needs; say how to fix what is wrong", run: runDoctor})
}

const doctorUsage = `usage: eidbridge doctor [--json]

Checks the smart-card service, the readers, the card (its applet, the
certificates' dates, whether the PIN is blocked: without spending a try
and without asking it), the agent and its port, the start at login, the
browsers' native-messaging registrations, which application answers Web
eID sites in each browser, the configuration and the allowed websites;
each problem comes with what to do. --json writes the same for a support
desk. Exit status 1 when something is broken.`

func runDoctor(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, doctorUsage) }
	asJSON := fs.Bool("json", false, "write the report as JSON")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	l, err := userLayout()
	if err != nil {
		return err
	}
	rep := doctor.Run(ctx, doctor.Real(version, l, nmhost.HostName, hostLocations(nmhost.HostName), webEIDSetup()))
	if *asJSON {
		err = rep.WriteJSON(os.Stdout)
	} else {
		err = rep.WriteText(os.Stdout)
	}
	if err != nil {
		return err
	}
	if n := rep.Failed(); n > 0 {
		return fmt.Errorf("%d problem(s) found", n)
	}
	return nil
}
