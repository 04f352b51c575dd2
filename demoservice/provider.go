package demoservice

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// retryAfter spaces discovery attempts while the provider is down, so
// that a burst of clicks does not become a burst of requests.
const retryAfter = time.Second

// provider is the OpenID provider, discovered at the first login and
// kept once that worked; until then every login tries again.
type provider struct {
	cfg Config
	log *slog.Logger
	now func() time.Time

	mu      sync.Mutex
	op      *discovered
	tried   time.Time // the last failed attempt
	lastErr error
}

// discovered is what the service uses of the provider's metadata.
type discovered struct {
	p          *oidc.Provider
	verifier   *oidc.IDTokenVerifier
	oauth      oauth2.Config
	endSession string // empty: the provider offers no logout
}

// metadata are the discovery fields go-oidc does not expose.
type metadata struct {
	EndSession string   `json:"end_session_endpoint"`
	PKCE       []string `json:"code_challenge_methods_supported"`
}

func newProvider(cfg Config, log *slog.Logger, now func() time.Time) *provider {
	return &provider{cfg: cfg, log: log, now: now}
}

// ctx carries the configured HTTP client to go-oidc and oauth2.
func (p *provider) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, p.cfg.HTTPClient)
}

// get is the provider, discovering it when that has not worked yet.
func (p *provider) get(ctx context.Context) (*discovered, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.op != nil {
		return p.op, nil
	}
	if !p.tried.IsZero() && p.now().Sub(p.tried) < retryAfter {
		return nil, p.lastErr
	}
	op, err := p.discover(ctx)
	if err != nil {
		p.tried, p.lastErr = p.now(), err
		return nil, err
	}
	p.op = op
	p.log.Info("OpenID provider discovered", "issuer", p.cfg.Issuer, "logout", op.endSession != "")
	return op, nil
}

// known is the provider if it was discovered already, without trying.
func (p *provider) known() *discovered {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.op
}

func (p *provider) discover(ctx context.Context) (*discovered, error) {
	op, err := oidc.NewProvider(p.ctx(ctx), p.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discovering the provider %s: %w", p.cfg.Issuer, err)
	}
	var md metadata
	if err := op.Claims(&md); err != nil {
		return nil, fmt.Errorf("reading the provider's metadata: %w", err)
	}
	if err := checkMetadata(op, md); err != nil {
		return nil, fmt.Errorf("the provider %s: %w", p.cfg.Issuer, err)
	}
	ep := op.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInHeader // registered as client_secret_basic
	return &discovered{
		p: op,
		// ES256 only: the portal signs with it, and pinning the algorithm
		// leaves nothing to negotiate down.
		verifier: op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, SupportedSigningAlgs: []string{oidc.ES256}}),
		oauth: oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, Endpoint: ep,
			RedirectURL: p.cfg.Origin + "/callback", Scopes: []string{oidc.ScopeOpenID, "profile"}},
		endSession: md.EndSession,
	}, nil
}

// checkMetadata refuses a provider the login cannot work with, so that
// the error says why at the first login rather than halfway through it.
func checkMetadata(op *oidc.Provider, md metadata) error {
	ep := op.Endpoint()
	switch {
	case ep.AuthURL == "" || ep.TokenURL == "":
		return errors.New("its discovery document names no authorization or token endpoint")
	case op.UserInfoEndpoint() == "":
		return errors.New("its discovery document names no userinfo endpoint")
	case !slices.Contains(md.PKCE, "S256"):
		// Without it a provider ignores the code challenge, and the code
		// would no longer be bound to this browser's login.
		return errors.New("it does not offer PKCE with S256 (code_challenge_methods_supported)")
	}
	return nil
}
