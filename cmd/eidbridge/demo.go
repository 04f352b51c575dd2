package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/demo"
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

// parseDemoFlags turns the command line into the demo's settings, which
// demo.Run checks before anything starts.
func parseDemoFlags(args []string) (demo.Config, error) {
	c := demo.Config{AnswerCommand: answerCommand, Version: version}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, demoUsage) }
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8443", "portal address, on loopback")
	fs.StringVar(&c.ServiceAddr, "service-addr", "127.0.0.1:8444", "the demo government service's address, on loopback")
	fs.IntVar(&c.AgentPort, "agent-port", agent.DefaultPort, "agent port (taken default: a free one; 0: any free one)")
	fs.BoolVar(&c.AutoPIN, "auto-pin", false, "answer the virtual card's PIN and consents automatically")
	fs.StringVar(&c.UI, "ui", "auto", "agent dialogs: auto, native or terminal")
	fs.BoolVar(&c.PCSC, "pcsc", false, "use pcscd and the card in a reader")
	fs.Var((*stringsFlag)(&c.Trust), "trust", "PEM file of further trusted eID CAs (repeatable)")
	fs.StringVar(&c.Applet, "applet", "1.8", "applet of the virtual card: 1.7 or 1.8")
	fs.StringVar(&c.DataDir, "data", "", "data directory kept after exit (default: temporary)")
	fs.Var((*stringsFlag)(&c.AllowOrigins), "allow-origin", "another site the agent serves, e.g. a Web eID test page (repeatable)")
	if err := fs.Parse(args); err != nil {
		return c, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "eidbridge demo: unexpected argument %q\n%s\n", fs.Arg(0), demoUsage)
		return c, errUsage
	}
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "addr": // a taken port is an error, not a fallback
			c.AddrChosen = true
		case "service-addr": // likewise
			c.ServiceAddrChosen = true
		case "ui": // excludes --auto-pin
			c.UIChosen = true
		case "applet": // a kept card of another applet is an error
			c.AppletChosen = true
		}
	})
	return c, nil
}

func runDemo(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == answerVerb {
		return runAnswer(args[1:])
	}
	c, err := parseDemoFlags(args)
	if err != nil {
		return err
	}
	return demo.Run(ctx, c)
}
