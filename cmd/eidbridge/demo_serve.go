package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid/virtualcard/pkiserve"
	"github.com/eidbridge/eidbridge/portal"
)

// demo is everything the demo runs, set up and ready to serve.
type demo struct {
	f       demoFlags
	dir     string
	cardDir string
	applet  string // the virtual card's, "1.8"
	holder  string // the virtual card's holder, as dialogs name them
	created bool   // the card was made this run (so its PIN is the default)
	log     *slog.Logger

	cards      agent.Cards
	agentLns   []net.Listener
	agentPort  int
	agentMoved bool // the default port was taken
	portalLn   net.Listener
	portalNote string // why the portal is not on --addr's port, if it is not
	origin     string
	portal     *portal.Portal
	officerNN  string // the virtual card's holder is also a desk officer
	audit      *os.File
	pkiLn      net.Listener // the test PKI's revocation service
	pkiURL     string
	pkiDir     string
	svc        demoService // the government service beside the portal
	closers    []func()
}

// prepareDemo makes the card, the listeners, the portal and the demo
// service; on error everything made so far is closed again.
func prepareDemo(f demoFlags, dir string, log *slog.Logger) (_ *demo, err error) {
	d := &demo{f: f, dir: dir, cardDir: filepath.Join(dir, "card"), log: log}
	defer func() {
		if err != nil {
			d.close()
		}
	}()
	c, created, err := demoCard(d.cardDir, f)
	if err != nil {
		return nil, err
	}
	d.created = created
	d.applet = fmt.Sprintf("%X.%X", c.Applet>>4, c.Applet&0x0F)
	if d.holder, d.officerNN, err = cardHolder(c); err != nil {
		return nil, err
	}
	trust := filepath.Join(dir, "trust.pem")
	if err := writeTrust(trust, c); err != nil {
		return nil, err
	}
	roots, inter, err := portal.LoadTrust(append([]string{trust}, f.trust...)...)
	if err != nil {
		return nil, err
	}
	if d.cards, err = demoCards(d, c); err != nil {
		return nil, err
	}
	if err := d.listen(); err != nil {
		return nil, err
	}
	if err := d.listenPKIService(); err != nil {
		return nil, err
	}
	if d.audit, err = agent.OpenAuditLog(dir); err != nil {
		return nil, err
	}
	d.closers = append(d.closers, func() { d.audit.Close() })
	d.portal, err = portal.New(portal.Config{DataDir: filepath.Join(dir, "portal"), Origin: d.origin,
		Roots: roots, Intermediates: inter, AgentPort: d.agentPort, Mailbox: true, Logger: log,
		Revocation: d.revocation()})
	if err != nil {
		return nil, err
	}
	d.closers = append(d.closers, func() { d.portal.Close() })
	// The card's holder staffs the desk too, so the counter flow can be
	// tried with the same card.
	if err := d.portal.AddOfficer(context.Background(), d.officerNN, d.holder); err != nil {
		return nil, err
	}
	d.origin = d.portal.Origin() // canonical, as the agent and the answerer compare it
	if err := d.prepareService(); err != nil {
		return nil, err
	}
	return d, nil
}

// listen opens the agent's loopback listeners, on a free port when the
// default one is taken (often by the citizen's own agent), and the
// portal's, on a free port when the default address is taken.
func (d *demo) listen() error {
	lns, err := agent.Listen(d.f.agentPort)
	if errors.Is(err, agent.ErrPortInUse) && d.f.agentPort == agent.DefaultPort {
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
	ln, note, err := listenOr(d.f.addr, d.f.addrSet)
	if err != nil {
		return fmt.Errorf("portal: listen: %w", err)
	}
	d.closers = append(d.closers, func() { ln.Close() })
	d.portalLn, d.portalNote, d.origin = ln, note, httpOrigin(d.f.addr, ln)
	return nil
}

// listenOr listens on addr, a loopback HOST:PORT (demoFlags.check); when
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

// close releases what prepareDemo made, last made first.
func (d *demo) close() {
	for _, c := range slices.Backward(d.closers) {
		c()
	}
	d.closers = nil
}

// serve runs the agent, the portal and the demo service until ctx ends
// (Ctrl-C) or one of them fails, then stops them all.
func (d *demo) serve(ctx context.Context, dialogs ui.UI) error {
	defer d.close()
	allow, err := agent.NewAllowlist(d.allowed()) // exactly the portal and --allow-origin
	if err != nil {
		return err
	}
	srv, err := agent.New(agent.Options{Cards: d.cards, UI: dialogs, Origins: allow, Logger: d.log,
		Audit: agent.NewAudit(d.audit), Version: version})
	if err != nil {
		return err
	}
	sites := []*webSite{newWebSite("portal", d.portalLn, d.portal), newWebSite("demo service", d.svc.ln, d.svc.handler)}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1+len(sites))
	go func() { errc <- wrapErr("agent", srv.Serve(ctx, d.agentLns...)) }()
	for _, s := range sites {
		go func() { errc <- s.serve() }()
	}
	go pkiserve.Serve(ctx, d.pkiLn, d.pkiDir) // a failure shows as "we cannot check your card"
	d.printBanner(os.Stdout)
	pending := 1 + len(sites)
	var first error
	select {
	case <-ctx.Done():
	case first = <-errc: // one stopped early: stop the others too
		pending--
	}
	cancel()
	sctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	for _, s := range sites {
		s.srv.Shutdown(sctx)
	}
	for ; pending > 0; pending-- {
		if err := <-errc; first == nil {
			first = err
		}
	}
	fmt.Fprintln(os.Stderr, "demo: stopped")
	return first
}

// webSite is one of the demo's web servers on its listener.
type webSite struct {
	name string
	ln   net.Listener
	srv  *http.Server
}

func newWebSite(name string, ln net.Listener, h http.Handler) *webSite {
	return &webSite{name: name, ln: ln, srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}}
}

// serve serves until Shutdown, which is no error.
func (w *webSite) serve() error {
	err := w.srv.Serve(w.ln)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return wrapErr(w.name, err)
}

// allowed is what the agent serves: the portal, and the --allow-origin sites.
func (d *demo) allowed() []string {
	return append([]string{d.origin}, d.f.origins...)
}

func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
