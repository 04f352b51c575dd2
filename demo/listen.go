package demo

import (
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/eidbridge/eidbridge/agent"
)

// listen opens the agent's loopback listeners, on a free port when the
// default one is taken (often by the citizen's own agent), and the
// portal's, on a free port when the default address is taken.
func (d *setup) listen() error {
	lns, err := agent.Listen(d.cfg.AgentPort)
	if errors.Is(err, agent.ErrPortInUse) && d.cfg.AgentPort == agent.DefaultPort {
		d.agentMoved = true
		lns, err = agent.Listen(0)
	}
	if err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	for _, ln := range lns {
		d.closers = append(d.closers, func() { ln.Close() })
	}
	d.agentLns, d.agentPort = lns, lns[0].Addr().(*net.TCPAddr).Port
	ln, note, err := listenOr(d.cfg.Addr, d.cfg.AddrChosen)
	if err != nil {
		return fmt.Errorf("portal: listen: %w", err)
	}
	d.closers = append(d.closers, func() { ln.Close() })
	d.portalLn, d.portalNote, d.origin = ln, note, httpOrigin(d.cfg.Addr, ln)
	return nil
}

// listenOr listens on addr, a loopback HOST:PORT (Config.check); when
// that fails and addr is the default, on a free port of the same host,
// with note saying why.
func listenOr(addr string, explicit bool) (net.Listener, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil || explicit {
		return ln, "", err
	}
	host, _, _ := net.SplitHostPort(addr)
	note := fmt.Sprintf("%s was not available (%v)", addr, err)
	ln, err = net.Listen("tcp", net.JoinHostPort(host, "0"))
	return ln, note, err
}

// httpOrigin is the origin of a site on ln: the host as addr names it
// (localhost stays localhost), the port ln has.
func httpOrigin(addr string, ln net.Listener) string {
	host, _, _ := net.SplitHostPort(addr)
	return "http://" + net.JoinHostPort(host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
}
