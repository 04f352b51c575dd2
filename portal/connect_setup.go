package portal

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"golang.org/x/text/language"

	"github.com/eidbridge/eidbridge/portal/idp"
)

// newProvider sets up the OpenID Connect provider on the portal's
// database, its secrets derived from the code key all instances share.
func (p *Portal) newProvider() (*idp.Provider, error) {
	var tags []language.Tag
	for _, l := range languages {
		tags = append(tags, language.Make(l))
	}
	return idp.New(idp.Config{DB: p.db, Issuer: p.cfg.Origin, Secret: p.keys.key, Clock: p.cfg.Clock,
		Logger: p.log, Locales: tags, KeyPeriod: p.cfg.KeyPeriod,
		LoginURL: func(id string) string { return "/connect?id=" + url.QueryEscape(id) }})
}

// connectRoutes: the protocol's endpoints, served by the provider (no
// session: services call them), and the citizen's login pages.
func (p *Portal) connectRoutes(mux *http.ServeMux) {
	for _, path := range idp.Paths {
		mux.Handle(path, p.idp)
	}
	mux.HandleFunc("GET "+idp.CallbackPath, p.get(p.handleCallback))
	mux.HandleFunc("GET /connect", p.get(p.handleConnect))
	mux.HandleFunc("GET /connect/token", p.get(p.handleConnectToken))
	mux.HandleFunc("GET /connect/eid", p.get(p.handleConnectEID))
	mux.HandleFunc("POST /connect/verify", p.post(p.handleConnectVerify))
	mux.HandleFunc("GET /connect/consent", p.get(p.handleConsent))
	mux.HandleFunc("POST /connect/consent", p.post(p.handleConsentPost))
	mux.HandleFunc("POST /connect/cancel", p.post(p.handleConnectCancel))
}

// RegisterService registers a service that logs citizens in through the
// portal, or replaces its registration.
func (p *Portal) RegisterService(ctx context.Context, c idp.ClientSpec) error {
	if err := p.idp.Register(ctx, c); err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	return nil
}
