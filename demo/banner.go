package demo

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/demoservice"
)

// printBanner tells the citizen what runs where and walks them through
// the portal. The first line with the URL is the one to look for.
func (d *setup) printBanner(w io.Writer) {
	u := d.origin
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	rule := strings.Repeat("=", 72)
	line("%s\n  eidbridge demo: the federal token portal, the agent and a virtual eID\n%s", rule, rule)
	line("  Open %s/ in your browser.", u)
	line("")
	d.describeCard(line)
	if len(d.cfg.AllowOrigins) == 0 {
		line("  agent    ws://127.0.0.1:%d%s, allowing only %s", d.agentPort, agent.Path, u)
	} else {
		line("  agent    ws://127.0.0.1:%d%s, allowing %s", d.agentPort, agent.Path, u)
		line("           and (--allow-origin) %s", strings.Join(d.cfg.AllowOrigins, ", "))
	}
	if d.agentMoved {
		line("           (port %d is taken, probably by your own eidbridge agent: this one", agent.DefaultPort)
		line("           uses %d, and the portal's page knows it)", d.agentPort)
	}
	if d.portalNote != "" {
		line("  portal   %s: using %s instead", d.portalNote, d.portalLn.Addr())
	}
	line("  service  %s/ (%s, a government service; you log in through the portal)", d.svc.origin, demoservice.Name)
	if d.svc.note != "" {
		line("           (%s: using %s instead)", d.svc.note, d.svc.ln.Addr())
	}
	switch {
	case d.cfg.AutoPIN:
		line("  dialogs  ANSWERED AUTOMATICALLY (--auto-pin), see below")
	case d.cfg.UI == "terminal":
		line("  dialogs  in this terminal (the agent's questions appear here)")
	default:
		line("  dialogs  the agent's own windows")
	}
	line("  OCSP/CRL %s (the virtual card's test PKI; the portal checks every card here)", d.pkiURL)
	if d.cfg.DataDir == "" {
		line("  data     %s (removed at exit; --data DIR keeps it)", d.dir)
	} else {
		line("  data     %s (kept)", d.dir)
	}
	if d.cfg.AutoPIN {
		line("")
		loud(line)
	}
	line("")
	line("  Walkthrough")
	line("   1. Request a token with the eID: %s/request, press the button.", u)
	if d.cfg.AutoPIN {
		line("      The agent's PIN and consent questions are answered automatically.")
	} else {
		line("      The agent asks for the card's PIN to log you in to %s,", u)
		line("      then whether the site may read your identity and address.")
	}
	line("   2. First time: choose a username, a password and an e-mail address.")
	line("   3. Read the e-mail with your 24 codes on the mailbox page: %s/mailbox", u)
	line("   4. Log in at %s/login with username and password, then type", u)
	line("      the code the site asks for (\"code 17\").")
	line("   5. Request a new token (step 1 again): the old token is revoked,")
	line("      its codes stop working; the new one is in the mailbox.")
	d.serviceWalkthrough(line)
	line("   Counter request, for a citizen without eID: the desk page %s/officer.", u)
	line("      The card's holder is also a desk officer: log in there with the card")
	line("      and its PIN, register a citizen; the activation e-mail and the")
	line("      posted letter land in the mailbox.")
	line("   A stolen card: in another terminal run")
	line("      %s", d.pkiRevokeHint())
	line("      and request a token: the portal says the card is revoked.")
	line("      eidbridge vcard pki serve is the same service on its own.")
	if len(d.cfg.AllowOrigins) > 0 {
		d.webeidHint(line)
	}
	if headless() {
		d.sshHint(line)
	}
	line("")
	line("  Ctrl-C stops the demo.\n%s", rule)
	io.WriteString(w, b.String())
}

// describeCard says which card the agent will use.
func (d *setup) describeCard(line func(string, ...any)) {
	pin := "PIN 1234 (the test default)"
	if !d.created {
		pin = "PIN as stored in " + filepath.Join(d.cardDir, "card.json")
	}
	if !d.cfg.PCSC {
		line("  card     virtual eID (applet %s) of %s, in an in-process reader;", d.applet, d.holder)
		line("           %s", pin)
		return
	}
	trusted := "virtual card's test CAs"
	if len(d.cfg.Trust) > 0 {
		trusted += " and --trust"
	}
	line("  card     the Belgian eID in a PC/SC reader (pcscd). The portal trusts the")
	line("           %s. To use the virtual card", trusted)
	line("           (%s, %s), plug it in:", d.holder, pin)
	line("           eidbridge vcard run %s", d.cardDir)
}

// loud is the --auto-pin warning: nobody should miss that the PIN is
// typed by a program.
func loud(line func(string, ...any)) {
	bang := "  " + strings.Repeat("!", 70)
	line("%s", bang)
	for _, s := range []string{
		"--auto-pin: the PIN is answered AUTOMATICALLY and every",
		"consent is given WITHOUT ASKING YOU. Only for the demo's",
		"virtual card, on a machine without a display.",
	} {
		line("  !!  %-62s  !!", s)
	}
	line("%s", bang)
}

// headless: no graphical session, as over SSH.
func headless() bool {
	return runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == ""
}

// sshHint tells how to use the demo from a browser on another computer:
// the ports forwarded to the same numbers, since the agent accepts
// exactly the portal's origin, the page calls the agent's port, and the
// provider sends the browser back to exactly the service's address.
func (d *setup) sshHint(line func(string, ...any)) {
	line("")
	line("  From another computer's browser: forward the ports to the same numbers,")
	line("      ssh -L %s -L %d:127.0.0.1:%d -L %s YOU@THIS-MACHINE",
		forward(d.portalLn), d.agentPort, d.agentPort, forward(d.svc.ln))
	line("      then open %s/ there (the agent accepts exactly that address).", d.origin)
}

// forward is ssh's PORT:HOST:PORT for a loopback listener.
func forward(ln net.Listener) string {
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	return port + ":" + net.JoinHostPort(host, port)
}

// webeidHint tells how a page at an --allow-origin site, such as a Web
// eID test page, reaches this agent: through the browser extension,
// whose native host finds the agent on the configured port.
func (d *setup) webeidHint(line func(string, ...any)) {
	line("   Pages at the --allow-origin sites, such as a Web eID test page written")
	line("      for web-eid.js, reach this agent and its card through the eidbridge")
	line("      browser extension (eidbridge nm-host install; docs/webeid.md).")
	if d.agentPort != agent.DefaultPort {
		line("      The extension finds the agent on the configured port (%d by default):", agent.DefaultPort)
		line("      run the demo with --agent-port %d, your own eidbridge agent stopped.", agent.DefaultPort)
	}
}
