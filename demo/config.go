package demo

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/eidbridge/eidbridge/agent"
)

// Config is what the demo runs with. The error messages name the
// command's flags. Run checks it before anything starts.
type Config struct {
	// Addr is the portal's address, a loopback HOST:PORT. Unless
	// AddrChosen, a taken Addr gives way to a free port of the same host.
	Addr       string
	AddrChosen bool
	// ServiceAddr is MyDemo's address, likewise.
	ServiceAddr       string
	ServiceAddrChosen bool
	// AgentPort is the agent's port: agent.DefaultPort gives way to a
	// free port when it is taken (often by the citizen's own agent);
	// 0 is any free port.
	AgentPort int
	// UI is where the agent asks for consent and the PIN: auto (windows
	// where there is a display, else this terminal), native or terminal.
	// UIChosen says the citizen chose it, which AutoPIN excludes.
	UI       string
	UIChosen bool
	// AutoPIN answers the virtual card's PIN and every consent without
	// asking: the agent runs the command line AnswerCommand makes, which
	// calls Answer, for every question.
	AutoPIN       bool
	AnswerCommand func(origins []string, cardDir string) ([]string, error)
	// PCSC has the agent use pcscd and the card in a reader instead of
	// the in-process virtual card; Trust are PEM files of further CAs the
	// portal trusts.
	PCSC  bool
	Trust []string
	// Applet is the virtual card's applet, 1.7 or 1.8. A card kept in
	// DataDir is used whatever its applet, unless AppletChosen.
	Applet       string
	AppletChosen bool
	// DataDir keeps the card, the portal's database and its outbox; ""
	// is a temporary directory, removed at exit.
	DataDir string
	// AllowOrigins are further sites the agent serves, such as a Web eID
	// test page.
	AllowOrigins []string
	// Version is the agent's version.
	Version string
}

// check refuses settings the demo cannot honour, before anything starts.
func (c Config) check() error {
	if _, err := appletByte(c.Applet); err != nil {
		return err
	}
	if c.AutoPIN && c.UIChosen {
		return errors.New("--auto-pin and --ui exclude each other: --auto-pin is the UI that answers by itself")
	}
	if c.UI != "auto" && c.UI != "native" && c.UI != "terminal" {
		return fmt.Errorf("--ui %q: want auto, native or terminal", c.UI)
	}
	if _, err := agent.NewAllowlist(c.AllowOrigins); err != nil {
		return fmt.Errorf("--allow-origin: %w", err)
	}
	if c.AgentPort < 0 || c.AgentPort > 65535 {
		return fmt.Errorf("--agent-port %d: want 0 to 65535", c.AgentPort)
	}
	if err := checkLoopbackAddr("--addr", c.Addr,
		"the agent accepts a plain-http site only there, and the mailbox page shows everybody's codes"); err != nil {
		return err
	}
	if err := checkLoopbackAddr("--service-addr", c.ServiceAddr,
		"the portal sends citizens back to a plain-http service only there"); err != nil {
		return err
	}
	if c.AutoPIN && c.AnswerCommand == nil {
		return errors.New("--auto-pin: no answerer command")
	}
	return nil
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
