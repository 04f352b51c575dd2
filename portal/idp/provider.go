package idp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/rs/cors"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/eidbridge/eidbridge/portal/store"
)

// Config sets up the provider.
type Config struct {
	DB       *store.DB
	Issuer   string                        // the portal's origin
	Secret   []byte                        // the portal's code key: every instance has it
	LoginURL func(requestID string) string // the portal's login page for a request
	Clock    func() time.Time
	Logger   *slog.Logger
	Locales  []language.Tag

	RequestLifetime     time.Duration // to log in, from the service's redirect (10 min)
	CodeLifetime        time.Duration // to exchange a code (1 min)
	IDTokenLifetime     time.Duration // 10 min
	AccessTokenLifetime time.Duration // 10 min
	KeyPeriod           time.Duration // a signing key's turn (7 days)
	KeyAnnounce         time.Duration // a key is published this long before use (1 day)
}

func (c Config) withDefaults() (Config, error) {
	if c.DB == nil || c.Issuer == "" || c.LoginURL == nil {
		return c, errors.New("idp: a database, an issuer and a login URL are needed")
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&c.RequestLifetime, 10*time.Minute)
	set(&c.CodeLifetime, time.Minute)
	set(&c.IDTokenLifetime, 10*time.Minute)
	set(&c.AccessTokenLifetime, 10*time.Minute)
	set(&c.KeyPeriod, 7*24*time.Hour)
	set(&c.KeyAnnounce, 24*time.Hour)
	if c.KeyAnnounce >= c.KeyPeriod {
		return c, errors.New("idp: a key must be announced within its predecessor's period")
	}
	return c, nil
}

// Provider is the OpenID Connect provider; it serves the protocol's
// endpoints (Paths) and the portal's login pages drive it.
type Provider struct {
	cfg  Config
	db   *store.DB
	sec  *secrets
	keys keyCache
	op   *op.Provider
}

// New makes the provider. The issuer may be plain http only on loopback
// (the demo): anywhere else a service must reach it over TLS.
func New(cfg Config) (*Provider, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Provider{cfg: cfg, db: cfg.DB, keys: keyCache{keys: map[int64]*signingKey{}}}
	if p.sec, err = deriveSecrets(cfg.Secret); err != nil {
		return nil, err
	}
	conf := &op.Config{CryptoKey: p.sec.token, CodeMethodS256: true, SupportedUILocales: cfg.Locales,
		SupportedScopes: []string{oidc.ScopeOpenID, ScopeProfile, ScopeNationalNumber},
		SupportedClaims: []string{"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "acr", "amr",
			"at_hash", "c_hash", "azp", "name", "given_name", "family_name", ClaimNationalNumber}}
	// No cross-origin reads: services call from their servers, and no
	// page elsewhere needs the portal's answers.
	opts := []op.Option{op.WithLogger(cfg.Logger),
		op.WithCORSOptions(&cors.Options{AllowOriginFunc: func(string) bool { return false }})}
	if insecureOK(cfg.Issuer) {
		opts = append(opts, op.WithAllowInsecure())
	}
	if p.op, err = op.NewProvider(conf, &storage{p}, op.StaticIssuer(cfg.Issuer), opts...); err != nil {
		return nil, fmt.Errorf("idp: %w", err)
	}
	return p, nil
}

func (p *Provider) now() time.Time { return p.cfg.Clock() }

// ServeHTTP serves the protocol's endpoints.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.op.ServeHTTP(w, r) }

// Paths are the endpoints the portal routes to the provider; the
// callback (CallbackPath) the portal guards first.
var Paths = []string{"/.well-known/openid-configuration", "/authorize", "/oauth/token",
	"/oauth/introspect", "/userinfo", "/revoke", "/end_session", "/keys"}

// CallbackPath is where a completed login gets its code.
const CallbackPath = "/authorize/callback"

// CallbackURL is where the browser goes once Complete has succeeded.
func (p *Provider) CallbackURL(id string) string { return CallbackPath + "?id=" + id }

// Pending is what the portal's login page needs to know of a request.
type Pending struct {
	ID        string
	Service   string   // the service's registered name
	Methods   []string // MethodToken and/or MethodEID
	WantsNN   bool     // asks for the national register number, and may
	Silent    bool     // prompt=none: the service wants no login page
	UILocales []string
}

// Pending reads a request the citizen is logging in for.
func (p *Provider) Pending(ctx context.Context, id string) (*Pending, error) {
	a, err := p.request(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := p.client(ctx, a.ClientID)
	if err != nil {
		return nil, err
	}
	return &Pending{ID: id, Service: c.spec.Name, Methods: p.acceptable(a), UILocales: a.UILocales,
		WantsNN: slices.Contains(a.Scopes, ScopeNationalNumber), Silent: slices.Contains(a.Prompt, oidc.PromptNone)}, nil
}

// Refuse ends the request and gives the address that sends the browser
// back to the service with an error: the citizen declined
// (access_denied), or prompt=none could not be honoured (login_required).
// The library writes that answer; it is taken from a recorder so that the
// portal can show it through a page (h_connect_leave.go).
func (p *Provider) Refuse(r *http.Request, id string, loginRequired bool) (string, error) {
	a, err := p.request(r.Context(), id)
	if err != nil {
		return "", err
	}
	e := oidc.ErrAccessDenied().WithDescription("the citizen did not log in")
	if loginRequired {
		e = oidc.ErrLoginRequired().WithDescription("the provider keeps no login: the citizen must log in")
	}
	if err := (&storage{p}).DeleteAuthRequest(r.Context(), id); err != nil {
		return "", fmt.Errorf("refuse a login: %w", err)
	}
	rec := httptest.NewRecorder()
	op.AuthRequestError(rec, r, a, e, p.op)
	back := rec.Header().Get("Location")
	if back == "" {
		return "", fmt.Errorf("refuse a login: the library gave no redirect (%d)", rec.Code)
	}
	return back, nil
}

// Sweep forgets expired requests and tokens, and keys two periods old.
func (p *Provider) Sweep(ctx context.Context) error {
	now := p.now().UnixMilli()
	for _, q := range []string{`DELETE FROM oidc_requests WHERE expires_at <= ?`, `DELETE FROM oidc_tokens WHERE expires_at <= ?`} {
		if _, err := p.db.ExecContext(ctx, q, now); err != nil {
			return fmt.Errorf("idp sweep: %w", err)
		}
	}
	if _, err := p.db.ExecContext(ctx, `DELETE FROM oidc_keys WHERE period < ?`, p.period()-1); err != nil {
		return fmt.Errorf("idp sweep: keys: %w", err)
	}
	return nil
}
