package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid/virtualcard/pkiserve"
)

// serve runs the agent, the portal and the demo service until ctx ends
// (Ctrl-C) or one of them fails, then stops them all.
func (d *setup) serve(ctx context.Context, dialogs ui.UI) error {
	defer d.close()
	allow, err := agent.NewAllowlist(d.allowed()) // exactly the portal and AllowOrigins
	if err != nil {
		return err
	}
	srv, err := agent.New(agent.Options{Cards: d.cards, UI: dialogs, Origins: allow, Logger: d.log,
		Audit: agent.NewAudit(d.audit), Version: d.cfg.Version})
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

func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
