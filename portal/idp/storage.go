package idp

import (
	"context"
	"errors"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// storage is the library's op.Storage on the portal's database. Only the
// code flow is offered: no refresh tokens, no JWT profile, no client
// credentials (a service acts for a citizen who is there).
type storage struct{ p *Provider }

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

var errNotOffered = errors.New("not offered by this provider")

func (s *storage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	return s.p.client(ctx, id)
}

func (s *storage) AuthorizeClientIDSecret(ctx context.Context, id, secret string) error {
	c, err := s.p.client(ctx, id)
	if err != nil {
		return err
	}
	if !c.secretMatches(secret) {
		return errors.New("wrong client secret")
	}
	return nil
}

// TerminateSession: the provider keeps no single sign-on session, so a
// logout has nothing to end here (each service login asks again).
func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType()
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotOffered
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errNotOffered
}

func (s *storage) Health(ctx context.Context) error { return s.p.db.Ping(ctx) }
