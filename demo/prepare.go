package demo

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/portal"
)

// setup is everything the demo runs, set up and ready to serve.
type setup struct {
	cfg     Config
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
	portalNote string // why the portal is not on Addr's port, if it is not
	origin     string
	portal     *portal.Portal
	officerNN  string // the virtual card's holder is also a desk officer
	audit      *os.File
	pkiLn      net.Listener // the test PKI's revocation service
	pkiURL     string
	pkiDir     string
	svc        service // the government service beside the portal
	closers    []func()
}

// prepare makes the card, the listeners, the portal and the demo
// service; on error everything made so far is closed again.
func prepare(cfg Config, dir string, log *slog.Logger) (_ *setup, err error) {
	d := &setup{cfg: cfg, dir: dir, cardDir: filepath.Join(dir, "card"), log: log}
	defer func() {
		if err != nil {
			d.close()
		}
	}()
	c, created, err := loadOrCreateCard(d.cardDir, cfg)
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
	roots, inter, err := portal.LoadTrust(append([]string{trust}, cfg.Trust...)...)
	if err != nil {
		return nil, err
	}
	if d.cards, err = d.agentCards(c); err != nil {
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

// close releases what prepare made, last made first.
func (d *setup) close() {
	for _, c := range slices.Backward(d.closers) {
		c()
	}
	d.closers = nil
}

// allowed is what the agent serves: the portal, and the AllowOrigins sites.
func (d *setup) allowed() []string {
	return append([]string{d.origin}, d.cfg.AllowOrigins...)
}
