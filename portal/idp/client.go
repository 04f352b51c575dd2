package idp

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/eidbridge/eidbridge/portal/store"
)

// ClientSpec is a registered service.
type ClientSpec struct {
	ID, Name       string   // Name: what the citizen reads on the portal's login page
	Secret         string   // the client secret; kept as its hash
	RedirectURIs   []string // exact; http only on loopback
	PostLogoutURIs []string
	Scopes         []string // beyond openid: ScopeProfile, ScopeNationalNumber
}

// The scopes a service may be registered for.
const (
	ScopeProfile        = oidc.ScopeProfile
	ScopeNationalNumber = "national_register_number"
	ClaimNationalNumber = "national_register_number"
)

// ErrUnknownClient: no service is registered under that id.
var ErrUnknownClient = errors.New("no service is registered under that client id")

// MinSecretLength: a client secret is a random string, not a password.
const MinSecretLength = 32

// Check says what is wrong with a registration, naming the field.
func (c ClientSpec) Check() error {
	switch {
	case !validClientID(c.ID):
		return fmt.Errorf("client id %q: use 1–64 letters, digits, '.', '_' or '-'", c.ID)
	case strings.TrimSpace(c.Name) == "" || len(c.Name) > 100:
		return errors.New("service name: give one of at most 100 characters")
	case len(c.Secret) < MinSecretLength:
		return fmt.Errorf("client secret: at least %d characters (a random string)", MinSecretLength)
	case len(c.RedirectURIs) == 0:
		return errors.New("redirect URIs: give at least one")
	}
	for _, u := range append(slices.Clone(c.RedirectURIs), c.PostLogoutURIs...) {
		if err := checkRedirect(u); err != nil {
			return err
		}
	}
	for _, s := range c.Scopes {
		if s != ScopeProfile && s != ScopeNationalNumber {
			return fmt.Errorf("scope %q: a service may be registered for %q and %q", s, ScopeProfile, ScopeNationalNumber)
		}
	}
	return nil
}

func validClientID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
			return false
		}
	}
	return true
}

// checkRedirect: an absolute https URL without a fragment, or http on a
// loopback address (a service on the same machine, as in the demo).
func checkRedirect(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("redirect URI %q: want an absolute URL with no fragment and no user", raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if loopback(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("redirect URI %q: https, or http on a loopback address only", raw)
}

// Registry is the register of services, usable without a running
// provider (the portal's admin command).
type Registry struct {
	DB    *store.DB
	Clock func() time.Time
}

// Register adds the service, or replaces its registration.
func (p Registry) Register(ctx context.Context, c ClientSpec) error {
	if err := c.Check(); err != nil {
		return err
	}
	redirects, _ := json.Marshal(c.RedirectURIs)
	logouts, _ := json.Marshal(nonNil(c.PostLogoutURIs))
	scopes, _ := json.Marshal(nonNil(c.Scopes))
	_, err := p.DB.ExecContext(ctx, `INSERT INTO oidc_clients (id, name, secret_hash, redirect_uris, logout_uris, scopes, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, secret_hash = excluded.secret_hash,
		redirect_uris = excluded.redirect_uris, logout_uris = excluded.logout_uris, scopes = excluded.scopes`,
		c.ID, c.Name, hashOf(c.Secret), string(redirects), string(logouts), string(scopes), p.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("register service %s: %w", c.ID, err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Remove ends a registration; its tokens stop working at once.
func (p Registry) Remove(ctx context.Context, id string) error {
	res, err := p.DB.ExecContext(ctx, `DELETE FROM oidc_clients WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("remove service %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("remove service %s: %w", id, ErrUnknownClient)
	}
	if _, err := p.DB.ExecContext(ctx, `DELETE FROM oidc_tokens WHERE client_id = ?`, id); err != nil {
		return fmt.Errorf("remove service %s: tokens: %w", id, err)
	}
	return nil
}

// Clients lists the registrations, without their secrets.
func (p Registry) Clients(ctx context.Context) ([]ClientSpec, error) {
	rows, err := p.DB.QueryContext(ctx, `SELECT id FROM oidc_clients ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list services: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list services: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := make([]ClientSpec, 0, len(ids))
	for _, id := range ids {
		c, _, err := p.spec(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// spec reads a registration (no secret) and its secret's hash;
// ErrUnknownClient when there is none.
func (p Registry) spec(ctx context.Context, id string) (ClientSpec, []byte, error) {
	c := ClientSpec{ID: id}
	var hash []byte
	var redirects, logouts, scopes string
	err := p.DB.QueryRowContext(ctx, `SELECT name, secret_hash, redirect_uris, logout_uris, scopes FROM oidc_clients WHERE id = ?`, id).
		Scan(&c.Name, &hash, &redirects, &logouts, &scopes)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, fmt.Errorf("service %q: %w", id, ErrUnknownClient)
	}
	if err != nil {
		return c, nil, fmt.Errorf("service %q: %w", id, err)
	}
	for _, f := range []struct {
		raw string
		to  *[]string
	}{{redirects, &c.RedirectURIs}, {logouts, &c.PostLogoutURIs}, {scopes, &c.Scopes}} {
		if err := json.Unmarshal([]byte(f.raw), f.to); err != nil {
			return c, nil, fmt.Errorf("service %q: %w", id, err)
		}
	}
	return c, hash, nil
}

// client reads a registration as the library sees it.
func (p *Provider) client(ctx context.Context, id string) (*client, error) {
	spec, hash, err := p.reg().spec(ctx, id)
	if err != nil {
		return nil, err
	}
	return &client{spec: spec, secretHash: hash, loginURL: p.cfg.LoginURL, lifetime: p.cfg.IDTokenLifetime}, nil
}

func (p *Provider) reg() Registry { return Registry{DB: p.db, Clock: p.cfg.Clock} }

// Register is the Registry's, on the provider's database.
func (p *Provider) Register(ctx context.Context, c ClientSpec) error { return p.reg().Register(ctx, c) }

// client is a registration as the library sees it: a confidential web
// application using the code flow only.
type client struct {
	spec       ClientSpec
	secretHash []byte
	loginURL   func(requestID string) string
	lifetime   time.Duration
}

var _ op.Client = (*client)(nil)

func (c *client) GetID() string                       { return c.spec.ID }
func (c *client) RedirectURIs() []string              { return c.spec.RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string    { return c.spec.PostLogoutURIs }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType                                 { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string                                    { return c.loginURL(id) }
func (c *client) AccessTokenType() op.AccessTokenType                          { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration                               { return c.lifetime }
func (c *client) DevMode() bool                                                { return false }
func (c *client) IDTokenUserinfoClaimsAssertion() bool                         { return true } // the ID token carries the claims too
func (c *client) ClockSkew() time.Duration                                     { return 0 }
func (c *client) IsScopeAllowed(scope string) bool                             { return slices.Contains(c.spec.Scopes, scope) }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string     { return same }
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string { return same }

func same(s []string) []string { return s }

// secretMatches compares in constant time.
func (c *client) secretMatches(secret string) bool {
	return subtle.ConstantTimeCompare(hashOf(secret), c.secretHash) == 1
}

// allowed keeps openid and the scopes the service is registered for: the
// library lets any standard scope through.
func (c *client) allowed(scopes []string) []string {
	var out []string
	for _, s := range scopes {
		if s == oidc.ScopeOpenID || c.IsScopeAllowed(s) {
			out = append(out, s)
		}
	}
	return out
}

func (p Registry) now() time.Time {
	if p.Clock == nil {
		return time.Now()
	}
	return p.Clock()
}

// NewSecret is a client secret for a new registration.
func NewSecret() string { return randomID() }
